import { expect, it } from 'vitest';
import { cacheParts, runRecord, snapshotBody, stepRunRecord } from '../fixtures.js';
import { type ContractContext, expectStrataError } from './context.js';

export function runsContract(ctx: ContractContext): void {
  it('saves a snapshot once and reads it back', async () => {
    const snapshot = {
      id: 'snap-1',
      pipelineName: 'train',
      body: snapshotBody('snap-1', ['a', 'b']),
      createdAt: 5,
    };
    await ctx.db().saveSnapshot(snapshot);
    await ctx.db().saveSnapshot({ ...snapshot, body: snapshotBody('snap-1', ['changed']) });
    expect(await ctx.db().getSnapshot('snap-1')).toEqual(snapshot);
    expect(await ctx.db().getSnapshot('nope')).toBeUndefined();
  });

  it('creates a run with its steps and reads every field back', async () => {
    const run = runRecord('r1', {
      params: { nested: { a: [1, 'x', null, true] } },
      environment: null,
      resumedFrom: 'r0',
    });
    const steps = [
      stepRunRecord('s1', 'r1', { cacheKey: 'k1', cacheParts: cacheParts('h1'), cacheReason: 'miss: new' }),
      stepRunRecord('s2', 'r1', {
        nodeId: 'map',
        stepName: 'map',
        mapIndex: 0,
        attempt: 2,
        startedAt: 7,
        error: 'x',
      }),
    ];
    await ctx.db().createRun(run, steps);
    expect(await ctx.db().getRun('r1')).toEqual(run);
    expect(await ctx.db().getStepRun('s2')).toEqual(steps[1]);
    const listed = await ctx.db().listStepRuns('r1');
    expect(listed.map((s) => s.id).sort()).toEqual(['s1', 's2']);
    expect(listed.find((s) => s.id === 's1')).toEqual(steps[0]);
    expect(await ctx.db().getRun('nope')).toBeUndefined();
    expect(await ctx.db().getStepRun('nope')).toBeUndefined();
  });

  it('creates a run and its steps atomically: a bad step row leaves no run', async () => {
    const steps = [stepRunRecord('s1', 'r1'), stepRunRecord('s1', 'r1', { nodeId: 'other' })];
    await expectStrataError(ctx.db().createRun(runRecord('r1'), steps), 'duplicate_id');
    expect(await ctx.db().getRun('r1')).toBeUndefined();
    expect(await ctx.db().listStepRuns('r1')).toEqual([]);
  });

  it('refuses a step row of another run and an existing run id', async () => {
    await expectStrataError(
      ctx.db().createRun(runRecord('r1'), [stepRunRecord('s1', 'r2')]),
      'invalid_step_run',
    );
    expect(await ctx.db().getRun('r1')).toBeUndefined();
    await ctx.db().createRun(runRecord('r1'), []);
    await expectStrataError(ctx.db().createRun(runRecord('r1'), [stepRunRecord('s9', 'r1')]), 'duplicate_id');
    expect(await ctx.db().getStepRun('s9')).toBeUndefined();
  });

  it("lists a run's step statuses in listStepRuns' order, with the fields views need", async () => {
    const steps = [
      stepRunRecord('b', 'r1', { nodeId: 'b', status: 'failed', error: 'boom', endedAt: 9 }),
      stepRunRecord('a', 'r1', { nodeId: 'a', status: 'cached', cacheReason: 'hit: run r0 step a' }),
      stepRunRecord('m1', 'r1', { nodeId: 'm', mapIndex: 1 }),
      stepRunRecord('m0', 'r1', { nodeId: 'm', mapIndex: 0 }),
    ];
    await ctx.db().createRun(runRecord('r1'), steps);
    await ctx.db().createRun(runRecord('r2'), [stepRunRecord('other', 'r2')]);
    const full = await ctx.db().listStepRuns('r1');
    const statuses = await ctx.db().listStepStatuses('r1');
    expect(statuses).toEqual(
      full.map(({ id, nodeId, mapIndex, status, error, cacheReason, endedAt }) => ({
        id,
        nodeId,
        mapIndex,
        status,
        error,
        cacheReason,
        endedAt,
      })),
    );
    expect(statuses.find((s) => s.id === 'b')).toEqual({
      id: 'b',
      nodeId: 'b',
      mapIndex: -1,
      status: 'failed',
      error: 'boom',
      cacheReason: null,
      endedAt: 9,
    });
    expect(await ctx.db().listStepStatuses('nope')).toEqual([]);
  });

  it('stepStatusesSince: every row first, then at least the rows inserted or changed since (SQLite: only those)', async () => {
    const db = ctx.db();
    const since = db.stepStatusesSince?.bind(db);
    // Every store this suite opens has it (memory and PostgreSQL return every row each time).
    expect(since).toBeDefined();
    await db.createRun(runRecord('r1'), [
      stepRunRecord('a', 'r1', { nodeId: 'a' }),
      stepRunRecord('b', 'r1', { nodeId: 'b' }),
    ]);
    await db.createRun(runRecord('r2'), [stepRunRecord('other', 'r2')]);
    const first = await since!('r1', undefined);
    expect(first.rows).toEqual(await db.listStepStatuses('r1'));
    await db.updateStepRun('b', { status: 'failed', error: 'boom', endedAt: 7 });
    await db.updateStepRun('other', { status: 'running' });
    await db.addStepRuns([stepRunRecord('m0', 'r1', { nodeId: 'm', mapIndex: 0 })]);
    const second = await since!('r1', first.cursor);
    const all = await db.listStepStatuses('r1');
    // Whatever comes back is current and of this run; the changed and the new row are never left out.
    for (const row of second.rows) expect(all).toContainEqual(row);
    expect(second.rows.map((r) => r.id)).toEqual(expect.arrayContaining(['b', 'm0']));
    expect(second.rows.find((r) => r.id === 'b')).toMatchObject({
      status: 'failed',
      error: 'boom',
      endedAt: 7,
    });
    if (ctx.url().startsWith('sqlite:')) {
      expect(second.rows.map((r) => r.id)).toEqual(['b', 'm0']);
      expect((await since!('r1', second.cursor)).rows).toEqual([]);
    }
  });

  it('creates a run with many steps in one call', async () => {
    const steps = Array.from({ length: 250 }, (_, i) => stepRunRecord(`s${i}`, 'big'));
    await ctx.db().createRun(runRecord('big'), steps);
    expect(await ctx.db().listStepRuns('big')).toHaveLength(250);
  });

  it('lists runs newest first, filtered by pipeline, status and time, with a limit', async () => {
    await ctx
      .db()
      .createRun(runRecord('a', { pipelineName: 'train', createdAt: 10, status: 'completed' }), []);
    await ctx.db().createRun(runRecord('b', { pipelineName: 'train', createdAt: 20, status: 'failed' }), []);
    await ctx.db().createRun(runRecord('c', { pipelineName: 'etl', createdAt: 30, status: 'completed' }), []);
    const ids = async (q?: Parameters<ReturnType<ContractContext['db']>['listRuns']>[0]) =>
      (await ctx.db().listRuns(q)).map((r) => r.id);
    expect(await ids()).toEqual(['c', 'b', 'a']);
    expect(await ids({ pipelineName: 'train' })).toEqual(['b', 'a']);
    expect(await ids({ status: 'completed' })).toEqual(['c', 'a']);
    expect(await ids({ before: 30 })).toEqual(['b', 'a']);
    expect(await ids({ limit: 1 })).toEqual(['c']);
    expect(await ids({ pipelineName: 'train', before: 20, limit: 5 })).toEqual(['a']);
  });

  it('updates a run and refuses an unknown one', async () => {
    await ctx.db().createRun(runRecord('r1'), []);
    await ctx.db().updateRun('r1', { status: 'failed', endedAt: 99, error: 'boom' });
    expect(await ctx.db().getRun('r1')).toMatchObject({
      status: 'failed',
      endedAt: 99,
      error: 'boom',
      startedAt: null,
    });
    await ctx.db().updateRun('r1', {});
    const error = await expectStrataError(
      ctx.db().updateRun('ghost', { status: 'completed' }),
      'unknown_run',
    );
    expect(error.message).toContain('ghost');
    await expectStrataError(ctx.db().updateRun('ghost', {}), 'unknown_run');
  });

  it('lists pipelines with their run counts and last run time', async () => {
    expect(await ctx.db().listPipelines()).toEqual([]);
    await ctx.db().createRun(runRecord('a', { pipelineName: 'train', createdAt: 10 }), []);
    await ctx.db().createRun(runRecord('b', { pipelineName: 'train', createdAt: 25 }), []);
    await ctx.db().createRun(runRecord('c', { pipelineName: 'etl', createdAt: 5 }), []);
    expect(await ctx.db().listPipelines()).toEqual([
      { name: 'etl', runCount: 1, lastRunAt: 5 },
      { name: 'train', runCount: 2, lastRunAt: 25 },
    ]);
  });

  it('adds step rows to an existing run, atomically, and refuses an unknown run', async () => {
    await ctx.db().createRun(runRecord('r1'), [stepRunRecord('s1', 'r1')]);
    await ctx
      .db()
      .addStepRuns([
        stepRunRecord('m0', 'r1', { nodeId: 'map', mapIndex: 0 }),
        stepRunRecord('m1', 'r1', { nodeId: 'map', mapIndex: 1 }),
      ]);
    expect((await ctx.db().listStepRuns('r1')).map((s) => s.id).sort()).toEqual(['m0', 'm1', 's1']);
    await ctx.db().addStepRuns([]);
    await expectStrataError(
      ctx
        .db()
        .addStepRuns([stepRunRecord('m2', 'r1', { nodeId: 'map', mapIndex: 2 }), stepRunRecord('m1', 'r1')]),
      'duplicate_id',
    );
    expect(await ctx.db().getStepRun('m2')).toBeUndefined();
    await expectStrataError(ctx.db().addStepRuns([stepRunRecord('x', 'ghost')]), 'unknown_run');
    expect(await ctx.db().getStepRun('x')).toBeUndefined();
  });
}
