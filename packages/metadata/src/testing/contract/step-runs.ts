import type { StepCompletion } from '@strata/core/plugin';
import { expect, it } from 'vitest';
import { artifactRecord, cacheParts, runRecord, stepRunRecord } from '../fixtures.js';
import { type ContractContext, expectStrataError } from './context.js';

export function stepRunsContract(ctx: ContractContext): void {
  const seed = async () => {
    await ctx.db().createRun(runRecord('r1'), [stepRunRecord('load', 'r1'), stepRunRecord('train', 'r1')]);
  };
  const completion = (overrides: Partial<StepCompletion> = {}): StepCompletion => ({
    stepRunId: 'load',
    status: 'completed',
    patch: { endedAt: 50, cacheKey: 'k-load', cacheParts: cacheParts('h') },
    artifacts: [artifactRecord('a1', 'load')],
    events: [{ artifactId: 'a1', type: 'output', name: 'rows', position: 0 }],
    metadata: [{ ownerType: 'step_run', ownerId: 'load', key: 'rows', value: 150 }],
    ...overrides,
  });
  /** `train` reads `load`'s artifact a1 and writes a model. */
  const trainCompletion = () =>
    completion({
      stepRunId: 'train',
      artifacts: [artifactRecord('m1', 'train', { kind: 'model' })],
      events: [
        { artifactId: 'a1', type: 'input', name: 'rows', position: 0 },
        { artifactId: 'm1', type: 'output', name: 'model', position: 0 },
      ],
      metadata: [],
    });

  it('updates a step run and refuses an unknown one', async () => {
    await seed();
    await ctx.db().updateStepRun('train', { status: 'running', startedAt: 10, attempt: 1 });
    expect(await ctx.db().getStepRun('train')).toMatchObject({
      status: 'running',
      startedAt: 10,
      attempt: 1,
    });
    await ctx.db().updateStepRun('train', { error: 'x', errorStack: 'at y', cacheReason: 'miss' });
    expect(await ctx.db().getStepRun('train')).toMatchObject({
      status: 'running',
      error: 'x',
      errorStack: 'at y',
    });
    await expectStrataError(ctx.db().updateStepRun('ghost', { status: 'running' }), 'unknown_step_run');
    await expectStrataError(ctx.db().updateStepRun('ghost', {}), 'unknown_step_run');
  });

  it('completes a step: artifacts, events, metadata and the step row together', async () => {
    await seed();
    await ctx.db().completeStepRun(completion());
    expect(await ctx.db().getStepRun('load')).toMatchObject({
      status: 'completed',
      endedAt: 50,
      cacheKey: 'k-load',
    });
    expect(await ctx.db().getArtifact('a1')).toEqual(artifactRecord('a1', 'load'));
    expect(await ctx.db().getMetadata('step_run', 'load')).toEqual({ rows: 150 });
    await ctx.db().completeStepRun(trainCompletion());
    const events = await ctx.db().stepRunEvents('train');
    expect(events.map((e) => [e.type, e.name, e.artifactId, e.stepRunId, e.position])).toEqual([
      ['input', 'rows', 'a1', 'train', 0],
      ['output', 'model', 'm1', 'train', 0],
    ]);
    expect(events[0]!.artifact).toEqual(artifactRecord('a1', 'load'));
    expect(await ctx.db().stepRunEvents('nope')).toEqual([]);
  });

  it('completes a step atomically: an event naming an unknown artifact leaves nothing behind', async () => {
    await seed();
    const error = await expectStrataError(
      ctx.db().completeStepRun(
        completion({
          events: [
            { artifactId: 'a1', type: 'output', name: 'rows', position: 0 },
            { artifactId: 'ghost', type: 'input', name: 'x', position: 0 },
          ],
        }),
      ),
      'unknown_artifact',
    );
    expect(error.message).toContain('ghost');
    expect(await ctx.db().getStepRun('load')).toMatchObject({
      status: 'pending',
      endedAt: null,
      cacheKey: null,
    });
    expect(await ctx.db().getArtifact('a1')).toBeUndefined();
    expect(await ctx.db().stepRunEvents('load')).toEqual([]);
    expect(await ctx.db().getMetadata('step_run', 'load')).toEqual({});
  });

  it('completes steps that finish together, and a bad completion among them fails alone', async () => {
    await ctx
      .db()
      .createRun(runRecord('r1'), [
        stepRunRecord('load', 'r1'),
        stepRunRecord('train', 'r1'),
        stepRunRecord('eval', 'r1'),
      ]);
    // Issued in one turn: group-committed, and `train` reads the artifact `load` records in the same batch.
    const results = await Promise.allSettled([
      ctx.db().completeStepRun(completion()),
      ctx.db().completeStepRun(trainCompletion()),
      ctx.db().completeStepRun(
        completion({
          stepRunId: 'eval',
          artifacts: [],
          events: [{ artifactId: 'ghost', type: 'input', name: 'x', position: 0 }],
          metadata: [],
        }),
      ),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    expect(((results[2] as PromiseRejectedResult).reason as { code: string }).code).toBe('unknown_artifact');
    expect((await ctx.db().getStepRun('load'))?.status).toBe('completed');
    expect((await ctx.db().getStepRun('train'))?.status).toBe('completed');
    expect((await ctx.db().getStepRun('eval'))?.status).toBe('pending');
    expect((await ctx.db().stepRunEvents('train')).map((e) => e.artifactId)).toEqual(['a1', 'm1']);
    expect(await ctx.db().stepRunEvents('eval')).toEqual([]);
  });

  it('refuses to complete an unknown step run or to record an artifact twice', async () => {
    await seed();
    await expectStrataError(
      ctx.db().completeStepRun(completion({ stepRunId: 'ghost', artifacts: [], events: [] })),
      'unknown_step_run',
    );
    await ctx.db().completeStepRun(completion());
    await expectStrataError(
      ctx.db().completeStepRun(
        completion({
          stepRunId: 'train',
          metadata: [{ ownerType: 'run', ownerId: 'r1', key: 'k', value: 1 }],
        }),
      ),
      'duplicate_id',
    );
    expect(await ctx.db().getStepRun('train')).toMatchObject({ status: 'pending' });
    expect(await ctx.db().getMetadata('run', 'r1')).toEqual({});
  });

  it('finds the newest completed (not cached) step run for a cache key, with its outputs', async () => {
    await ctx
      .db()
      .createRun(runRecord('r1', { createdAt: 1 }), [
        stepRunRecord('old', 'r1'),
        stepRunRecord('other', 'r1'),
      ]);
    await ctx
      .db()
      .createRun(runRecord('r2', { createdAt: 2 }), [stepRunRecord('new', 'r2'), stepRunRecord('hit', 'r2')]);
    await ctx.db().createRun(runRecord('r3', { createdAt: 3 }), [stepRunRecord('failed', 'r3')]);
    const done = (id: string, key: string, endedAt: number, artifact: string) =>
      ctx.db().completeStepRun({
        stepRunId: id,
        status: 'completed',
        patch: { cacheKey: key, endedAt },
        artifacts: [artifactRecord(artifact, id)],
        events: [{ artifactId: artifact, type: 'output', name: 'out', position: 0 }],
        metadata: [],
      });
    expect(await ctx.db().findCached('k')).toBeUndefined();
    await done('old', 'k', 100, 'a-old');
    await done('new', 'k', 200, 'a-new');
    await done('other', 'k2', 300, 'a-other');
    // A cache hit re-publishes outputs under a newer end time: it must not be returned.
    await ctx.db().completeStepRun({
      stepRunId: 'hit',
      status: 'cached',
      patch: { cacheKey: 'k', endedAt: 400, cachedFrom: 'new' },
      artifacts: [],
      events: [
        { artifactId: 'a-old', type: 'input', name: 'in', position: 0 },
        { artifactId: 'a-new', type: 'output', name: 'out', position: 0 },
      ],
      metadata: [],
    });
    await ctx.db().updateStepRun('failed', { status: 'failed', cacheKey: 'k', endedAt: 500 });

    const found = await ctx.db().findCached('k');
    expect(found?.stepRun).toEqual({ id: 'new', runId: 'r2', nodeId: 'new' });
    expect(found?.outputs).toEqual([{ name: 'out', position: 0, artifact: artifactRecord('a-new', 'new') }]);
    expect((await ctx.db().findCached('k', 200))?.stepRun.id).toBe('new');
    expect(await ctx.db().findCached('k', 201)).toBeUndefined();
    expect((await ctx.db().findCached('k2', 0))?.stepRun.id).toBe('other');
    expect(await ctx.db().findCached('missing')).toBeUndefined();
    // A completed step without outputs is a hit with none.
    await ctx.db().createRun(runRecord('r4', { createdAt: 4 }), [stepRunRecord('bare', 'r4')]);
    await ctx.db().completeStepRun({
      stepRunId: 'bare',
      status: 'completed',
      patch: { cacheKey: 'k-bare', endedAt: 600 },
      artifacts: [],
      events: [{ artifactId: 'a-old', type: 'input', name: 'in', position: 0 }],
      metadata: [],
    });
    const bare = await ctx.db().findCached('k-bare');
    expect(bare?.stepRun).toEqual({ id: 'bare', runId: 'r4', nodeId: 'bare' });
    expect(bare?.outputs).toEqual([]);
  });

  it('returns only output events as cached outputs', async () => {
    await seed();
    await ctx.db().completeStepRun(completion());
    await ctx.db().completeStepRun({
      stepRunId: 'train',
      status: 'completed',
      patch: { cacheKey: 'k-train', endedAt: 60 },
      artifacts: [artifactRecord('m1', 'train'), artifactRecord('m2', 'train')],
      events: [
        { artifactId: 'a1', type: 'input', name: 'rows', position: 0 },
        { artifactId: 'm2', type: 'output', name: 'models', position: 1 },
        { artifactId: 'm1', type: 'output', name: 'models', position: 0 },
      ],
      metadata: [],
    });
    const found = await ctx.db().findCached('k-train');
    expect(found?.outputs.map((o) => [o.name, o.position, o.artifact.id])).toEqual([
      ['models', 0, 'm1'],
      ['models', 1, 'm2'],
    ]);
  });

  it('finds the previous finished step run of a node in another run of the same pipeline', async () => {
    const parts = cacheParts('h1');
    await ctx
      .db()
      .createRun(runRecord('r1', { createdAt: 10 }), [
        stepRunRecord('r1-train', 'r1', { nodeId: 'train', status: 'completed', cacheParts: parts }),
      ]);
    await ctx
      .db()
      .createRun(runRecord('r2', { createdAt: 20 }), [
        stepRunRecord('r2-train', 'r2', { nodeId: 'train', status: 'failed', cacheParts: cacheParts('h2') }),
      ]);
    await ctx
      .db()
      .createRun(runRecord('r3', { createdAt: 30 }), [
        stepRunRecord('r3-train', 'r3', { nodeId: 'train', status: 'completed', cacheParts: null }),
      ]);
    await ctx
      .db()
      .createRun(runRecord('r4', { createdAt: 40 }), [
        stepRunRecord('r4-train', 'r4', { nodeId: 'train', status: 'running', cacheParts: parts }),
      ]);
    await ctx
      .db()
      .createRun(runRecord('e1', { createdAt: 50, pipelineName: 'etl' }), [
        stepRunRecord('e1-train', 'e1', { nodeId: 'train', status: 'completed', cacheParts: parts }),
      ]);
    await ctx
      .db()
      .createRun(runRecord('r5', { createdAt: 60 }), [
        stepRunRecord('r5-train', 'r5', { nodeId: 'train', status: 'cached', cacheParts: parts }),
      ]);
    const previous = (exclude: string) => ctx.db().previousStepRun('train', 'train', exclude);
    expect((await previous('r9'))?.id).toBe('r5-train');
    expect((await previous('r5'))?.id).toBe('r2-train');
    expect(await ctx.db().previousStepRun('train', 'evaluate', 'r5')).toBeUndefined();
    expect(await ctx.db().previousStepRun('nope', 'train', 'r5')).toBeUndefined();

    // The same rows for every node at once, from the newest other run only.
    const latest = await ctx.db().previousRunSteps('train', 'r9');
    expect(latest?.runId).toBe('r5');
    expect([...(latest?.steps.values() ?? [])].map((s) => s.id)).toEqual(['r5-train']);
    const beforeR5 = await ctx.db().previousRunSteps('train', 'r5');
    // r4's row is still running: r4 is the newest other run, but has no row previousStepRun accepts.
    expect(beforeR5?.runId).toBe('r4');
    expect(beforeR5?.steps.size).toBe(0);
    expect(await ctx.db().previousRunSteps('nope', 'r5')).toBeUndefined();
  });

  it('gives the newest accepted row of each node of the newest other run, the last map instance first', async () => {
    await ctx.db().createRun(runRecord('r1', { createdAt: 10 }), [
      stepRunRecord('r1-load', 'r1', { nodeId: 'load', status: 'completed', cacheParts: cacheParts('a') }),
      stepRunRecord('r1-sq[0]', 'r1', {
        nodeId: 'sq',
        mapIndex: 0,
        status: 'completed',
        cacheParts: cacheParts('i0'),
      }),
      stepRunRecord('r1-sq[1]', 'r1', {
        nodeId: 'sq',
        mapIndex: 1,
        status: 'cached',
        cacheParts: cacheParts('i1'),
      }),
      stepRunRecord('r1-sq', 'r1', { nodeId: 'sq', status: 'running', cacheParts: null }),
      stepRunRecord('r1-skip', 'r1', { nodeId: 'skip', status: 'skipped', cacheParts: null }),
    ]);
    await ctx.db().createRun(runRecord('r2', { createdAt: 20 }), []);
    const previous = await ctx.db().previousRunSteps('train', 'r2');
    expect(previous?.runId).toBe('r1');
    expect(Object.fromEntries([...(previous?.steps ?? [])].map(([node, row]) => [node, row.id]))).toEqual({
      load: 'r1-load',
      sq: 'r1-sq[1]',
    });
    for (const [node, row] of previous?.steps ?? []) {
      expect((await ctx.db().previousStepRun('train', node, 'r2'))?.id).toBe(row.id);
    }
  });
}
