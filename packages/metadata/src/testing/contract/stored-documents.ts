import { expect, it } from 'vitest';
import { cacheParts, runRecord, snapshotBody, stepRunRecord } from '../fixtures.js';
import { expectStrataError, type SqlContractContext } from './context.js';

/**
 * Snapshot bodies and cache parts are versioned JSON documents, parsed when read back: rows written
 * before versioning read as version 1, a newer version or a damaged row is a clear error, never a cast.
 */
export function storedDocumentsContract(ctx: SqlContractContext): void {
  const raw = () => ctx.db().context.db;
  const rawSnapshot = async (id: string, body: string) => {
    await raw().insertInto('snapshots').values({ id, pipeline_name: 'train', body, created_at: 1 }).execute();
  };
  const setParts = async (id: string, parts: string) => {
    await raw().updateTable('step_runs').set({ cache_parts: parts }).where('id', '=', id).execute();
  };

  it('stores a snapshot body with its schemaVersion and reads it back without it', async () => {
    const body = snapshotBody('snap-v', ['load', 'fit']);
    await ctx.db().saveSnapshot({ id: 'snap-v', pipelineName: 'train', body, createdAt: 1 });
    const row = await raw()
      .selectFrom('snapshots')
      .select('body')
      .where('id', '=', 'snap-v')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(row.body ?? 'null')).toMatchObject({ schemaVersion: 1, id: 'snap-v' });
    expect((await ctx.db().getSnapshot('snap-v'))?.body).toEqual(body);
  });

  it('reads a snapshot stored before versioning (no schemaVersion) as version 1', async () => {
    const body = snapshotBody('snap-old', ['a']);
    await rawSnapshot('snap-old', JSON.stringify(body));
    expect((await ctx.db().getSnapshot('snap-old'))?.body).toEqual(body);
  });

  it('refuses a snapshot from a newer Strata with record_too_new', async () => {
    await rawSnapshot('snap-new', JSON.stringify({ ...snapshotBody('snap-new', ['a']), schemaVersion: 2 }));
    const error = await expectStrataError(ctx.db().getSnapshot('snap-new'), 'record_too_new');
    expect(error.message).toContain('snap-new');
    expect(error.message).toContain('schemaVersion 2');
    expect(error.field).toBe('snapshots.body');
  });

  it('refuses a corrupt snapshot with record_corrupt naming every wrong field', async () => {
    const { pipeline: _, ...body } = snapshotBody('snap-bad', ['a']);
    await rawSnapshot(
      'snap-bad',
      JSON.stringify({ ...body, nodes: [{ id: 'a', step: 'a' }], schemaVersion: 1 }),
    );
    const error = await expectStrataError(ctx.db().getSnapshot('snap-bad'), 'record_corrupt');
    expect(error.message).toContain('snapshot snap-bad');
    expect(error.field).toContain('snapshots.body.pipeline');
    expect(error.field).toContain('snapshots.body.nodes.0.codeHash');
    await rawSnapshot('snap-text', '{"id": "snap-text", truncated');
    const text = await expectStrataError(ctx.db().getSnapshot('snap-text'), 'record_corrupt');
    expect(text.message).toContain('not JSON');
    await rawSnapshot('snap-array', '[1, 2]');
    expect((await expectStrataError(ctx.db().getSnapshot('snap-array'), 'record_corrupt')).message).toContain(
      'an array',
    );
  });

  it('versions cache parts the same way: old rows read, newer or corrupt ones refused', async () => {
    const parts = cacheParts('h1', { inputs: { rows: 'sha-1', batch: ['sha-2', 'sha-3'] } });
    await ctx
      .db()
      .createRun(runRecord('r1'), [stepRunRecord('s1', 'r1', { cacheKey: 'k', cacheParts: parts })]);
    const row = await raw()
      .selectFrom('step_runs')
      .select('cache_parts')
      .where('id', '=', 's1')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(row.cache_parts ?? 'null')).toMatchObject({ schemaVersion: 1, code: 'h1' });
    expect((await ctx.db().getStepRun('s1'))?.cacheParts).toEqual(parts);

    await setParts('s1', JSON.stringify(parts));
    expect((await ctx.db().getStepRun('s1'))?.cacheParts).toEqual(parts);

    await setParts('s1', JSON.stringify({ ...parts, schemaVersion: 7 }));
    expect((await expectStrataError(ctx.db().getStepRun('s1'), 'record_too_new')).field).toBe(
      'step_runs.cache_parts',
    );

    await setParts('s1', JSON.stringify({ ...parts, inputs: { rows: 5 } }));
    const corrupt = await expectStrataError(ctx.db().listStepRuns('r1'), 'record_corrupt');
    expect(corrupt.field).toBe('step_runs.cache_parts.inputs.rows');
    expect(corrupt.message).toContain('s1');
  });

  it('stores a code identity once, refers to it from each step row, and reads the parts back whole', async () => {
    // One node's executions share these objects, as the runner's do.
    const files = { 'src/a.ts': 'sha-a', 'src/b.ts': 'sha-b' };
    const packages = { zod: '4.1.0' };
    const parts = (code: string) => cacheParts(code, { files, packages, inputs: { x: `in-${code}` } });
    await ctx
      .db()
      .createRun(runRecord('r1'), [
        stepRunRecord('s1', 'r1'),
        stepRunRecord('s2', 'r1'),
        stepRunRecord('s3', 'r1'),
        stepRunRecord('s4', 'r1', { cacheKey: 'k4', cacheParts: parts('h4') }),
      ]);
    await Promise.all(
      ['s1', 's2'].map((id) =>
        ctx.db().completeStepRun({
          stepRunId: id,
          status: 'completed',
          patch: { endedAt: 5, cacheKey: `k-${id}`, cacheParts: parts(id) },
          artifacts: [],
          events: [],
          metadata: [],
        }),
      ),
    );
    await ctx.db().updateStepRun('s3', { cacheKey: 'k3', cacheParts: parts('s3') });
    const identities = await raw().selectFrom('code_identities').selectAll().execute();
    expect(identities).toHaveLength(1);
    expect(JSON.parse(identities[0]!.body)).toEqual({ files, packages });
    const stored = await raw().selectFrom('step_runs').select(['id', 'cache_parts']).orderBy('id').execute();
    for (const row of stored) {
      const doc = JSON.parse(row.cache_parts ?? 'null');
      expect(doc).not.toHaveProperty('files');
      expect(doc.identity).toBe(identities[0]!.id);
    }
    for (const id of ['s1', 's2', 's3'])
      expect((await ctx.db().getStepRun(id))?.cacheParts).toEqual(parts(id));
    expect((await ctx.db().getStepRun('s4'))?.cacheParts).toEqual(parts('h4'));
    expect((await ctx.db().listStepRuns('r1')).map((s) => s.cacheParts)).toEqual(
      ['s1', 's2', 's3', 'h4'].map(parts),
    );
  });

  it('reads a step row whose code identity is inline (written before migration 0008) as it is', async () => {
    const parts = cacheParts('h1', { files: { 'src/old.ts': 'sha-o' }, packages: { zod: '3.0.0' } });
    await ctx.db().createRun(runRecord('r1'), [stepRunRecord('s1', 'r1')]);
    await setParts('s1', JSON.stringify({ ...parts, schemaVersion: 1 }));
    expect((await ctx.db().getStepRun('s1'))?.cacheParts).toEqual(parts);
  });

  it('refuses a step row that refers to a code identity not stored, naming the row', async () => {
    await ctx.db().createRun(runRecord('r1'), [stepRunRecord('s1', 'r1')]);
    await setParts('s1', JSON.stringify({ ...cacheParts('h1'), schemaVersion: 1, identity: 'f00d' }));
    const error = await expectStrataError(ctx.db().getStepRun('s1'), 'record_corrupt');
    expect(error.field).toBe('step_runs.cache_parts.identity');
    expect(error.message).toContain('s1');
    expect(error.message).toContain('f00d');
  });
}
