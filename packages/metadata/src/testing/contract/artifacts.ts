import { expect, it } from 'vitest';
import { artifactRecord, runRecord, stepRunRecord } from '../fixtures.js';
import type { ContractContext } from './context.js';

export function artifactsContract(ctx: ContractContext): void {
  it('lists artifacts newest first, by content hash and kind, with a limit', async () => {
    await ctx.db().createRun(runRecord('r1'), [stepRunRecord('s1', 'r1')]);
    await ctx.db().completeStepRun({
      stepRunId: 's1',
      status: 'completed',
      patch: {},
      artifacts: [
        artifactRecord('a1', 's1', { createdAt: 1, sha256: 'same', kind: 'json' }),
        artifactRecord('a2', 's1', { createdAt: 2, sha256: 'same', kind: 'arrow', size: 5_000_000_000 }),
        artifactRecord('a3', 's1', { createdAt: 3, sha256: 'other', kind: 'json' }),
      ],
      events: [],
      metadata: [],
    });
    const ids = async (q?: { limit?: number; sha256?: string; kind?: string }) =>
      (await ctx.db().listArtifacts(q)).map((a) => a.id);
    expect(await ids()).toEqual(['a3', 'a2', 'a1']);
    expect(await ids({ sha256: 'same' })).toEqual(['a2', 'a1']);
    expect(await ids({ kind: 'json' })).toEqual(['a3', 'a1']);
    expect(await ids({ limit: 2 })).toEqual(['a3', 'a2']);
    expect((await ctx.db().getArtifact('a2'))?.size).toBe(5_000_000_000);
    expect(await ctx.db().getArtifact('nope')).toBeUndefined();
  });

  it('reads the output events of several step runs at once, as stepRunEvents orders them', async () => {
    await ctx
      .db()
      .createRun(runRecord('r1'), [stepRunRecord('s1', 'r1'), stepRunRecord('s2', 'r1', { nodeId: 'n2' })]);
    await ctx.db().completeStepRun({
      stepRunId: 's1',
      status: 'completed',
      patch: {},
      artifacts: [artifactRecord('a1', 's1'), artifactRecord('a2', 's1'), artifactRecord('a3', 's1')],
      events: [
        { artifactId: 'a2', type: 'output', name: 'y', position: 0 },
        { artifactId: 'a1', type: 'output', name: 'x', position: 1 },
        { artifactId: 'a3', type: 'output', name: 'x', position: 0 },
      ],
      metadata: [],
    });
    await ctx.db().completeStepRun({
      stepRunId: 's2',
      status: 'completed',
      patch: {},
      artifacts: [],
      events: [{ artifactId: 'a1', type: 'input', name: 'in', position: 0 }],
      metadata: [],
    });
    const found = await ctx.db().outputEventsOf(['s1', 's2', 'nope', 's1']);
    expect([...found.keys()]).toEqual(['s1']);
    const outputs = (await ctx.db().stepRunEvents('s1')).filter((e) => e.type === 'output');
    expect(found.get('s1')).toEqual(outputs);
    expect(found.get('s1')!.map((e) => `${e.name}${e.position}:${e.artifact.id}`)).toEqual([
      'x0:a3',
      'x1:a1',
      'y0:a2',
    ]);
    expect((await ctx.db().outputEventsOf([])).size).toBe(0);
  });

  it('traces lineage: producers (including cache hits that re-published it) and consumers by input name', async () => {
    await ctx
      .db()
      .createRun(runRecord('r1', { createdAt: 1 }), [
        stepRunRecord('load', 'r1'),
        stepRunRecord('train', 'r1'),
      ]);
    await ctx
      .db()
      .createRun(runRecord('r2', { createdAt: 2 }), [
        stepRunRecord('load2', 'r2'),
        stepRunRecord('eval', 'r2'),
      ]);
    await ctx.db().completeStepRun({
      stepRunId: 'load',
      status: 'completed',
      patch: {},
      artifacts: [artifactRecord('rows', 'load')],
      events: [{ artifactId: 'rows', type: 'output', name: 'rows', position: 0 }],
      metadata: [],
    });
    await ctx.db().completeStepRun({
      stepRunId: 'train',
      status: 'completed',
      patch: {},
      artifacts: [],
      events: [
        { artifactId: 'rows', type: 'input', name: 'train_rows', position: 0 },
        { artifactId: 'rows', type: 'input', name: 'all', position: 1 },
      ],
      metadata: [],
    });
    await ctx.db().completeStepRun({
      stepRunId: 'load2',
      status: 'cached',
      patch: { cachedFrom: 'load' },
      artifacts: [],
      events: [{ artifactId: 'rows', type: 'output', name: 'rows', position: 0 }],
      metadata: [],
    });
    await ctx.db().completeStepRun({
      stepRunId: 'eval',
      status: 'completed',
      patch: {},
      artifacts: [],
      events: [{ artifactId: 'rows', type: 'input', name: 'rows', position: 0 }],
      metadata: [],
    });
    const lineage = await ctx.db().lineage('rows');
    expect(lineage?.artifact.id).toBe('rows');
    expect(lineage?.producers.map((s) => [s.id, s.status]).sort()).toEqual([
      ['load', 'completed'],
      ['load2', 'cached'],
    ]);
    expect(lineage?.consumers.map((c) => [c.stepRun.id, c.name]).sort()).toEqual([
      ['eval', 'rows'],
      ['train', 'all'],
      ['train', 'train_rows'],
    ]);
    expect(await ctx.db().lineage('nope')).toBeUndefined();
  });
}
