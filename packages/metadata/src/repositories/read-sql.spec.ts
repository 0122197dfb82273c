import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteDatabase } from '../sqlite/open.js';
import { SqlStrataDatabase } from '../strata-database.js';
import { artifactRecord, runRecord, stepRunRecord } from '../testing/fixtures.js';
import { recordHistory } from '../testing/history.js';

describe('the SQLite reads as plain SQL (read-sql.ts)', () => {
  let dir: string;
  let plain: SqlStrataDatabase;
  /** The same store and connection without readNow: every read through Kysely, as on PostgreSQL. */
  let kysely: SqlStrataDatabase;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'strata-read-sql-'));
    plain = await openSqliteDatabase(join(dir, 'store.sqlite'));
    const { db, traits, writeNow } = plain.context;
    kysely = new SqlStrataDatabase({
      db,
      traits,
      url: plain.url,
      shared: false,
      ...(writeNow ? { writeNow } : {}),
    });
    await recordHistory(plain);
    // A mapped step: the list it maps over (an input), 12 items and 12 collected outputs, so positions
    // past 9 check numeric order; its instances, one with two outputs, one with none.
    await plain.createRun(runRecord('m'), [
      stepRunRecord('m-map', 'm', { nodeId: 'map', mapIndex: -1 }),
      ...Array.from({ length: 12 }, (_, i) =>
        stepRunRecord(`m-map[${i}]`, 'm', { nodeId: 'map', mapIndex: i }),
      ),
    ]);
    const items = Array.from({ length: 12 }, (_, i) =>
      artifactRecord(`item-${11 - i}`, 'm-map', { summary: i % 3 === 0 ? null : { i } }),
    );
    await plain.completeStepRun({
      stepRunId: 'm-map',
      status: 'running',
      patch: {},
      artifacts: [artifactRecord('list', 'm-map'), ...items],
      events: [
        { artifactId: 'list', type: 'input', name: 'xs', position: 0 },
        ...items.map((a, position) => ({
          artifactId: a.id,
          type: 'output' as const,
          name: '__item:x',
          position,
        })),
      ],
      metadata: [],
    });
    for (let i = 0; i < 11; i++) {
      const id = `m-map[${i}]`;
      await plain.completeStepRun({
        stepRunId: id,
        status: i === 4 ? 'failed' : 'completed',
        // Keys shared by several instances, ended at different times: findCached picks among them.
        patch: { endedAt: 200 + (i % 3), cacheKey: `k${i % 3}`, ...(i === 4 ? { error: 'boom' } : {}) },
        artifacts:
          i === 4 ? [] : [artifactRecord(`out-${i}`, id), ...(i === 7 ? [artifactRecord('extra', id)] : [])],
        events: [
          { artifactId: items[i]!.id, type: 'input', name: 'x', position: 0 },
          ...(i === 4 ? [] : [{ artifactId: `out-${i}`, type: 'output' as const, name: 'y', position: 0 }]),
          ...(i === 7 ? [{ artifactId: 'extra', type: 'output' as const, name: 'a', position: 0 }] : []),
        ],
        metadata: [],
      });
    }
    await plain.completeStepRun({
      stepRunId: 'm-map',
      status: 'completed',
      patch: { endedAt: 300 },
      artifacts: [],
      events: Array.from({ length: 12 }, (_, position) => ({
        artifactId: position === 4 || position === 11 ? 'list' : `out-${position}`,
        type: 'output' as const,
        name: 'y',
        position,
      })),
      metadata: [],
    });
  });
  afterEach(async () => {
    await plain.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const runIds = async () => (await plain.listRuns()).map((r) => r.id).sort();
  const stepIds = async () => {
    const ids = [];
    for (const run of await runIds()) ids.push(...(await plain.listStepRuns(run)).map((s) => s.id));
    return [...ids, 'nope'];
  };

  it('stepRunEvents: the records and order of the Kysely query, for every step row', async () => {
    expect(plain.context.readNow).toBeDefined();
    let events = 0;
    for (const id of await stepIds()) {
      const read = await plain.stepRunEvents(id);
      expect(read).toEqual(await kysely.stepRunEvents(id));
      events += read.length;
    }
    expect(events).toBeGreaterThan(40);
    const parent = await plain.stepRunEvents('m-map');
    expect(parent.filter((e) => e.name === 'y').map((e) => e.position)).toEqual([...Array(12).keys()]);
    expect(parent[0]).toMatchObject({ type: 'input', name: 'xs', artifact: { id: 'list' } });
  });

  it('outputEventsOf: the same map (ids, their order, each list) as the Kysely query', async () => {
    const ids = await stepIds();
    for (const asked of [ids, [...ids].reverse(), ['m-map[7]', 'nope', 'm-map[7]', 'm-map'], []]) {
      const read = await plain.outputEventsOf(asked);
      const expected = await kysely.outputEventsOf(asked);
      expect([...read.keys()]).toEqual([...expected.keys()]);
      expect(read).toEqual(expected);
    }
    expect((await plain.outputEventsOf(['m-map[7]'])).get('m-map[7]')!.map((e) => e.name)).toEqual([
      'a',
      'y',
    ]);
  });

  it('findCached: the hit and outputs of the Kysely query, with and without a lower bound', async () => {
    let hits = 0;
    for (const key of ['k0', 'k1', 'k2', 'nope']) {
      for (const notBefore of [undefined, 0, 201, 202, 203]) {
        const read = await plain.findCached(key, notBefore);
        expect(read).toEqual(await kysely.findCached(key, notBefore));
        if (read) hits++;
      }
    }
    expect(hits).toBeGreaterThan(6);
    // k1: instances 1, 4 (failed: never a hit), 7 and 10 ended at 201; the larger id wins the tie.
    expect(await plain.findCached('k1')).toEqual({
      stepRun: { id: 'm-map[7]', runId: 'm', nodeId: 'map' },
      outputs: [
        expect.objectContaining({
          name: 'a',
          position: 0,
          artifact: expect.objectContaining({ id: 'extra' }),
        }),
        expect.objectContaining({
          name: 'y',
          position: 0,
          artifact: expect.objectContaining({ id: 'out-7' }),
        }),
      ],
    });
  });

  it('listStepStatuses and stepStatusesSince: the rows of the Kysely queries', async () => {
    for (const run of [...(await runIds()), 'nope']) {
      expect(await plain.listStepStatuses(run)).toEqual(await kysely.listStepStatuses(run));
    }
    const first = await plain.stepStatusesSince!('m', undefined);
    expect(first).toEqual(await kysely.stepStatusesSince!('m', undefined));
    expect(first.rows).toHaveLength(13);
    await plain.updateStepRun('m-map[11]', { status: 'running', startedAt: 400 });
    const later = await plain.stepStatusesSince!('m', first.cursor);
    expect(later).toEqual(await kysely.stepStatusesSince!('m', first.cursor));
    expect(later.rows.map((r) => [r.id, r.status])).toEqual([['m-map[11]', 'running']]);
    expect(await plain.stepStatusesSince!('m', later.cursor)).toEqual({ rows: [], cursor: later.cursor });
  });
});
