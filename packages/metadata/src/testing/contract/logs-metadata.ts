import type { LogLine } from '@strata/core';
import { expect, it } from 'vitest';
import { runRecord, stepRunRecord } from '../fixtures.js';
import { type ContractContext, expectStrataError } from './context.js';

export function logsAndMetadataContract(ctx: ContractContext): void {
  const line = (stepRunId: string, seq: number, at: number, message = `${stepRunId}#${seq}`): LogLine => ({
    stepRunId,
    seq,
    at,
    level: seq % 2 === 0 ? 'info' : 'warn',
    message,
  });

  it('appends log lines and reads them by step run or run, after a seq, in (at, seq) order', async () => {
    await ctx.db().createRun(runRecord('r1'), [stepRunRecord('a', 'r1'), stepRunRecord('b', 'r1')]);
    await ctx.db().createRun(runRecord('r2'), [stepRunRecord('c', 'r2')]);
    await ctx
      .db()
      .appendLogs([line('a', 1, 10), line('a', 2, 10), line('b', 1, 5), line('a', 3, 30), line('c', 1, 1)]);
    await ctx.db().appendLogs([line('a', 4, 40, 'last')]);
    await ctx.db().appendLogs([]);
    const messages = async (q: Parameters<ReturnType<ContractContext['db']>['readLogs']>[0]) =>
      (await ctx.db().readLogs(q)).map((l) => l.message);
    expect(await ctx.db().readLogs({ stepRunId: 'a', limit: 1 })).toEqual([line('a', 1, 10)]);
    expect(await messages({ stepRunId: 'a' })).toEqual(['a#1', 'a#2', 'a#3', 'last']);
    expect(await messages({ stepRunId: 'a', afterSeq: 2 })).toEqual(['a#3', 'last']);
    expect(await messages({ runId: 'r1' })).toEqual(['b#1', 'a#1', 'a#2', 'a#3', 'last']);
    expect(await messages({ runId: 'r1', afterSeq: 1, limit: 2 })).toEqual(['a#2', 'a#3']);
    expect(await messages({ runId: 'r2' })).toEqual(['c#1']);
    expect(await messages({ stepRunId: 'none' })).toEqual([]);
    // Only one level (a run's end reads its warnings only); the limit counts lines of that level.
    expect(await messages({ runId: 'r1', level: 'warn' })).toEqual(['b#1', 'a#1', 'a#3']);
    expect(await messages({ runId: 'r1', level: 'warn', limit: 2 })).toEqual(['b#1', 'a#1']);
    expect(await messages({ stepRunId: 'a', level: 'info' })).toEqual(['a#2', 'last']);
    expect(await messages({ runId: 'r2', level: 'error' })).toEqual([]);
  });

  it('ignores a re-sent log line and refuses lines of an unknown step run', async () => {
    await ctx.db().createRun(runRecord('r1'), [stepRunRecord('a', 'r1')]);
    await ctx.db().appendLogs([line('a', 1, 10)]);
    await ctx.db().appendLogs([line('a', 1, 10), line('a', 2, 11)]);
    expect(await ctx.db().readLogs({ stepRunId: 'a' })).toEqual([line('a', 1, 10), line('a', 2, 11)]);
    await expectStrataError(ctx.db().appendLogs([line('ghost', 1, 1)]), 'unknown_step_run');
    await expectStrataError(ctx.db().readLogs({}), 'invalid_query');
  });

  it('appends many log lines in one call', async () => {
    await ctx.db().createRun(runRecord('r1'), [stepRunRecord('a', 'r1')]);
    await ctx.db().appendLogs(Array.from({ length: 333 }, (_, i) => line('a', i, i)));
    expect(await ctx.db().readLogs({ stepRunId: 'a', afterSeq: 300 })).toHaveLength(32);
  });

  it('stores metadata per owner, the last value of a key winning', async () => {
    await ctx.db().addMetadata([
      { ownerType: 'run', ownerId: 'r1', key: 'accuracy', value: 0.9 },
      { ownerType: 'run', ownerId: 'r1', key: 'tags', value: ['a', 'b'] },
      { ownerType: 'artifact', ownerId: 'r1', key: 'accuracy', value: 0.1 },
      { ownerType: 'run', ownerId: 'r1', key: 'nothing', value: null },
    ]);
    await ctx.db().addMetadata([
      { ownerType: 'run', ownerId: 'r1', key: 'accuracy', value: 0.95 },
      { ownerType: 'run', ownerId: 'r1', key: 'accuracy', value: { best: 0.97 } },
    ]);
    await ctx.db().addMetadata([]);
    expect(await ctx.db().getMetadata('run', 'r1')).toEqual({
      accuracy: { best: 0.97 },
      tags: ['a', 'b'],
      nothing: null,
    });
    expect(await ctx.db().getMetadata('artifact', 'r1')).toEqual({ accuracy: 0.1 });
    expect(await ctx.db().getMetadata('step_run', 'r1')).toEqual({});
  });
}
