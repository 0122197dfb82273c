import type { RunOwner } from '@strata/core/plugin';
import { expect, it } from 'vitest';
import { runRecord, stepRunRecord } from '../fixtures.js';
import type { ContractContext } from './context.js';

const owner: RunOwner = { kind: 'process', pid: 4242, host: 'box-a', bootId: 'b-1', startTicks: 77 };

export function livenessContract(ctx: ContractContext): void {
  it('records an owner per run and per step, replaces it, and beats all of a run at once', async () => {
    const db = ctx.db();
    await db.setOwner({ runId: 'r1', stepRunId: null, owner, heartbeatAt: 10 });
    await db.setOwner({
      runId: 'r1',
      stepRunId: 's1',
      owner: { kind: 'container', id: 'c0ffee', host: 'box-a' },
      heartbeatAt: 10,
    });
    await db.setOwner({
      runId: 'r2',
      stepRunId: null,
      owner: { kind: 'workflow', id: 'strata-r2' },
      heartbeatAt: 10,
    });
    await db.setOwner({ runId: 'r2', stepRunId: null, owner: { kind: 'unknown' }, heartbeatAt: 11 });
    await db.heartbeat(['r1'], 50);
    const rows = await db.owners(['r1', 'r2']);
    expect(rows.sort((a, b) => `${a.runId}${a.stepRunId}`.localeCompare(`${b.runId}${b.stepRunId}`))).toEqual(
      [
        { runId: 'r1', stepRunId: null, owner, heartbeatAt: 50 },
        {
          runId: 'r1',
          stepRunId: 's1',
          owner: { kind: 'container', id: 'c0ffee', host: 'box-a' },
          heartbeatAt: 50,
        },
        { runId: 'r2', stepRunId: null, owner: { kind: 'unknown' }, heartbeatAt: 11 },
      ],
    );
    expect(await db.owners([])).toEqual([]);
  });

  it('marks an active run crashed with its running steps; pending steps cancelled; finished runs untouched', async () => {
    const db = ctx.db();
    await db.createRun(runRecord('r1'), [
      stepRunRecord('a', 'r1', { status: 'completed', endedAt: 5 }),
      stepRunRecord('b', 'r1', { status: 'running', startedAt: 6 }),
      stepRunRecord('c', 'r1', { status: 'pending' }),
    ]);
    expect(await db.markCrashed('r1', 'owner gone: process 1 is gone', 99)).toBe(true);
    const run = await db.getRun('r1');
    expect(run).toMatchObject({ status: 'crashed', endedAt: 99, error: 'owner gone: process 1 is gone' });
    const steps = Object.fromEntries((await db.listStepRuns('r1')).map((s) => [s.id, s]));
    expect(steps.a).toMatchObject({ status: 'completed', endedAt: 5 });
    expect(steps.b).toMatchObject({ status: 'crashed', endedAt: 99 });
    expect(steps.c).toMatchObject({ status: 'cancelled', endedAt: 99 });
    // A second reader noticing the same crash changes nothing.
    expect(await db.markCrashed('r1', 'again', 100)).toBe(false);
    expect((await db.getRun('r1'))?.error).toBe('owner gone: process 1 is gone');
    await db.createRun(runRecord('r2', { status: 'completed' }), []);
    expect(await db.markCrashed('r2', 'late', 100)).toBe(false);
    expect((await db.getRun('r2'))?.status).toBe('completed');
  });

  it('closes the active steps of an ended run', async () => {
    const db = ctx.db();
    await db.createRun(runRecord('r1', { status: 'cancelled' }), [
      stepRunRecord('a', 'r1', { status: 'running' }),
      stepRunRecord('b', 'r1', { status: 'pending' }),
      stepRunRecord('c', 'r1', { status: 'failed' }),
    ]);
    expect(await db.closeActiveSteps('r1', 'cancelled', 'resumed as run r2', 7)).toBe(2);
    const statuses = (await db.listStepRuns('r1')).map((s) => s.status).sort();
    expect(statuses).toEqual(['cancelled', 'cancelled', 'failed']);
  });
}
