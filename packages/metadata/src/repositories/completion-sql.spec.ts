import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StepCompletion } from '@strata/core/plugin';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteDatabase } from '../sqlite/open.js';
import { SqlStrataDatabase } from '../strata-database.js';
import { artifactRecord, cacheParts, runRecord, stepRunRecord } from '../testing/fixtures.js';
import { writeCompletionsSql } from './completion-sql.js';
import { writeTransaction } from './context.js';
import { writeCompletions } from './step-completion.js';

/** Completions of every shape the runner hands over: completed, cached, a map parent recording items. */
function completions(): StepCompletion[] {
  const files = { 'src/a.ts': 'sha-a' };
  return [
    {
      stepRunId: 's1',
      status: 'completed',
      patch: {
        status: 'running',
        cacheKey: 'k1',
        cacheParts: cacheParts('h1', { files, packages: { zod: '4.1.0' }, inputs: { x: 'sha-x' } }),
        cacheReason: 'miss: first run of `s1`',
        attempt: 1,
        startedAt: 10,
        endedAt: 11,
        error: null,
        errorStack: null,
      },
      artifacts: [
        artifactRecord('a1', 's1', { summary: { preview: '3' } }),
        artifactRecord('a2', 's1', { summary: null, uri: 'data:,x', storeKey: '' }),
      ],
      events: [
        { artifactId: 'a1', type: 'output', name: 'x', position: 0 },
        { artifactId: 'a2', type: 'output', name: 'y', position: 0 },
      ],
      metadata: [],
    },
    {
      stepRunId: 's2',
      status: 'cached',
      patch: {
        startedAt: 12,
        endedAt: 12,
        cacheKey: 'k2',
        cacheParts: null,
        cacheReason: 'hit',
        cachedFrom: 's1',
      },
      artifacts: [],
      // An input event naming an artifact of the completion before it in the same group.
      events: [
        { artifactId: 'a1', type: 'input', name: 'x', position: 0 },
        { artifactId: 'a2', type: 'output', name: 'y', position: 0 },
      ],
      metadata: [],
    },
    {
      stepRunId: 's3',
      status: 'running',
      patch: {},
      artifacts: [artifactRecord('a3', 's3'), artifactRecord('a4', 's3')],
      events: [
        { artifactId: 'a3', type: 'output', name: '__item:i', position: 0 },
        { artifactId: 'a4', type: 'output', name: '__item:i', position: 1 },
      ],
      metadata: [],
    },
  ];
}

describe('writeCompletionsSql (the SQLite completion path)', () => {
  let dir: string;
  let plain: SqlStrataDatabase;
  let kysely: SqlStrataDatabase;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'strata-completion-sql-'));
    plain = await openSqliteDatabase(join(dir, 'plain.sqlite'));
    kysely = await openSqliteDatabase(join(dir, 'kysely.sqlite'));
    for (const db of [plain, kysely]) {
      await db.createRun(runRecord('r1'), [
        stepRunRecord('s1', 'r1'),
        stepRunRecord('s2', 'r1'),
        stepRunRecord('s3', 'r1', { attempt: 3 }),
      ]);
    }
  });
  afterEach(async () => {
    await plain.close();
    await kysely.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Every row the completions touch, as stored (created_at of step rows aside: set at creation). */
  const rows = async (db: SqlStrataDatabase) => {
    const k = db.context.db;
    return {
      steps: await k.selectFrom('step_runs').selectAll().orderBy('id').execute(),
      identities: await k.selectFrom('code_identities').select(['id', 'body']).orderBy('id').execute(),
      artifacts: await k.selectFrom('artifacts').selectAll().orderBy('id').execute(),
      events: await k
        .selectFrom('events')
        .selectAll()
        .orderBy('step_run_id')
        .orderBy('name')
        .orderBy('position')
        .execute(),
    };
  };

  it('writes the rows the Kysely path writes', async () => {
    await plain.context.writeNow!((run) => writeCompletionsSql(run, completions()));
    await writeTransaction(kysely.context, (trx) => writeCompletions(trx, completions()));
    const [a, b] = [await rows(plain), await rows(kysely)];
    const withoutCreated = (steps: typeof a.steps) => steps.map(({ created_at: _, ...s }) => s);
    expect(withoutCreated(a.steps)).toEqual(withoutCreated(b.steps));
    expect(a.identities).toHaveLength(1);
    expect(a.identities).toEqual(b.identities);
    expect(a.artifacts).toEqual(b.artifacts);
    expect(a.events).toEqual(b.events);
    expect(a.steps.map((s) => s.status)).toEqual(['completed', 'cached', 'running']);
    expect(a.events).toHaveLength(6);
  });

  it('writes a map expansion of 150 items (more rows than one INSERT takes) as the Kysely path does', async () => {
    // 150 = 64 + 64 + 16 + 4 + 2 rows: every statement size but 32, 8 and 1.
    const items = Array.from({ length: 150 }, (_, i) =>
      artifactRecord(`item-${String(i).padStart(3, '0')}`, 's3', { summary: i % 2 === 0 ? null : { i } }),
    );
    const expansion = (): StepCompletion[] => [
      ...completions().slice(0, 2),
      {
        stepRunId: 's3',
        status: 'running',
        patch: {},
        artifacts: items,
        events: [
          { artifactId: 'a1', type: 'input', name: 'list', position: 0 },
          ...items.map((a, position) => ({
            artifactId: a.id,
            type: 'output' as const,
            name: '__item:i',
            position,
          })),
        ],
        metadata: [],
      },
    ];
    await plain.context.writeNow!((run) => writeCompletionsSql(run, expansion()));
    await writeTransaction(kysely.context, (trx) => writeCompletions(trx, expansion()));
    const [a, b] = [await rows(plain), await rows(kysely)];
    expect(a.artifacts).toHaveLength(152);
    expect(a.artifacts).toEqual(b.artifacts);
    expect(a.events).toHaveLength(155);
    expect(a.events).toEqual(b.events);
  });

  it('writes nothing of the group when one step row is missing', async () => {
    const group = [...completions(), { ...completions()[0]!, stepRunId: 'nope', artifacts: [], events: [] }];
    await expect(plain.context.writeNow!((run) => writeCompletionsSql(run, group))).rejects.toMatchObject({
      code: 'unknown_step_run',
      value: 'nope',
    });
    const after = await rows(plain);
    expect(after.steps.map((s) => s.status)).toEqual(['pending', 'pending', 'pending']);
    expect(after.artifacts).toEqual([]);
    expect(after.events).toEqual([]);
    expect(after.identities).toEqual([]);
  });
});

describe('createRun and addStepRuns as plain SQL (the SQLite path)', () => {
  let dir: string;
  let plain: SqlStrataDatabase;
  let opened: SqlStrataDatabase;
  /** A second store without writeNow: every write through Kysely, as on PostgreSQL. */
  let kysely: SqlStrataDatabase;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'strata-run-rows-sql-'));
    plain = await openSqliteDatabase(join(dir, 'plain.sqlite'));
    opened = await openSqliteDatabase(join(dir, 'kysely.sqlite'));
    const { db, traits } = opened.context;
    kysely = new SqlStrataDatabase({ db, traits, url: opened.url, shared: false });
  });
  afterEach(async () => {
    await plain.close();
    await opened.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const stored = async (db: SqlStrataDatabase) => {
    const k = db.context.db;
    return {
      runs: await k.selectFrom('runs').selectAll().orderBy('id').execute(),
      steps: (await k.selectFrom('step_runs').selectAll().orderBy('id').execute()).map(
        ({ created_at: _, ...s }) => s,
      ),
      identities: await k.selectFrom('code_identities').select(['id', 'body']).orderBy('id').execute(),
      changes: await k.selectFrom('changes').select(['kind', 'run_id', 'data']).orderBy('seq').execute(),
    };
  };

  it('writes the rows, identities and change feed of the Kysely path', async () => {
    const identity = { files: { 'src/a.ts': 'sha-a' }, packages: { zod: '4.1.0' } };
    // 70 rows at creation (64 + 4 + 2 per statement size), then 150 map instances.
    const steps = Array.from({ length: 70 }, (_, i) =>
      stepRunRecord(`r1/s${i}`, 'r1', {
        ...(i % 3 === 0 ? { cacheKey: `k${i}`, cacheParts: cacheParts(`h${i}`, identity) } : {}),
        ...(i === 5 ? { status: 'skipped', cacheReason: 'condition was false', endedAt: 9 } : {}),
      }),
    );
    const instances = Array.from({ length: 150 }, (_, i) =>
      stepRunRecord(`r1/s1[${i}]`, 'r1', { nodeId: 's1', mapIndex: i }),
    );
    for (const db of [plain, kysely]) {
      await db.createRun(runRecord('r1', { startedAt: 5, params: { lr: 0.1, layers: [2, 3] } }), steps);
      await db.createRun(runRecord('r2', { environment: null as never }), []);
      await db.addStepRuns(instances);
    }
    const [a, b] = [await stored(plain), await stored(kysely)];
    expect(a.runs).toHaveLength(2);
    expect(a.runs).toEqual(b.runs);
    expect(a.steps).toHaveLength(220);
    expect(a.steps).toEqual(b.steps);
    expect(a.identities).toHaveLength(1);
    expect(a.identities).toEqual(b.identities);
    expect(a.changes.length).toBeGreaterThan(220);
    expect(a.changes).toEqual(b.changes);
    expect(await plain.getStepRun('r1/s3')).toEqual(await kysely.getStepRun('r1/s3'));
  });

  it('refuses a duplicate run or step row, and a step row of no run, and writes nothing of it', async () => {
    await plain.createRun(runRecord('r1'), [stepRunRecord('r1/a', 'r1')]);
    const before = await stored(plain);
    await expect(plain.createRun(runRecord('r1'), [])).rejects.toMatchObject({ code: 'duplicate_id' });
    await expect(
      plain.createRun(runRecord('r3'), [stepRunRecord('r3/a', 'r3'), stepRunRecord('r3/a', 'r3')]),
    ).rejects.toMatchObject({ code: 'duplicate_id' });
    await expect(plain.addStepRuns([stepRunRecord('nope/a', 'nope')])).rejects.toMatchObject({
      code: 'unknown_run',
    });
    expect(await stored(plain)).toEqual(before);
  });
});
