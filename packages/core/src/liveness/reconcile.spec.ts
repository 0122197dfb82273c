import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord, StepRunRecord } from '../metadata/records.js';
import { createMemoryStack, type MemoryStack } from '../testing/index.js';
import { writeLastWords } from './last-words.js';
import { type ProcessOwner, processOwner, processStartTicks, type RunOwner } from './owner.js';
import { reconcileRuns } from './reconcile.js';

let temp: MemoryStack;
beforeAll(async () => {
  temp = await createMemoryStack();
});
afterAll(() => temp.cleanup());

let n = 0;
/** A running run with one running and one pending step, owned by `owner`. */
async function runOwnedBy(owner: RunOwner, heartbeatAt = Date.now()): Promise<RunRecord> {
  const id = `r-live-${++n}`;
  const run: RunRecord = {
    id,
    name: id,
    pipelineName: 'p',
    snapshotId: 's',
    status: 'running',
    stackName: 'default',
    orchestrator: 'local',
    params: {},
    environment: null,
    createdAt: Date.now(),
    startedAt: Date.now(),
    endedAt: null,
    error: null,
    resumedFrom: null,
  };
  const step = (node: string, status: StepRunRecord['status']): StepRunRecord => ({
    id: `${id}/${node}`,
    runId: id,
    nodeId: node,
    stepName: node,
    mapIndex: -1,
    status,
    cacheKey: null,
    cacheParts: null,
    cacheReason: null,
    cachedFrom: null,
    attempt: 1,
    startedAt: null,
    endedAt: null,
    error: null,
    errorStack: null,
  });
  const db = temp.stack.database;
  await db.setOwner({ runId: id, stepRunId: null, owner, heartbeatAt });
  await db.createRun(run, [step('a', 'running'), step('b', 'pending')]);
  return run;
}

async function statusesOf(runId: string): Promise<string[]> {
  const rows = await temp.stack.database.listStepRuns(runId);
  return rows.map((r) => `${r.nodeId}:${r.status}`).sort();
}

describe('reconcile: a run whose owner is gone becomes crashed', () => {
  it('a killed local process: crashed with the reason, running step crashed, pending step cancelled', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    await once(child, 'spawn');
    const pid = child.pid!;
    const owner: RunOwner = { ...processOwner(), pid, startTicks: processStartTicks(pid) ?? 0 };
    const run = await runOwnedBy(owner);
    // Alive: left alone.
    expect((await reconcileRuns(temp.stack.database, [run]))[0]!.status).toBe('running');
    child.kill('SIGKILL');
    await once(child, 'exit');
    const [after] = await reconcileRuns(temp.stack.database, [run]);
    expect(after!.status).toBe('crashed');
    expect(after!.error).toContain(`process ${pid} on ${hostname()} is gone`);
    expect(await temp.stack.database.getRun(run.id)).toMatchObject({ status: 'crashed' });
    expect(await statusesOf(run.id)).toEqual(['a:crashed', 'b:cancelled']);
  });

  it('a reused pid (another start time) and an earlier boot are gone too', async () => {
    const reused = await runOwnedBy({ ...processOwner(), startTicks: 1 });
    const rebooted = await runOwnedBy({ ...processOwner(), bootId: 'an-earlier-boot' });
    const [a, b] = await reconcileRuns(temp.stack.database, [reused, rebooted]);
    expect(a!.error).toContain('pid now belongs to another process');
    expect(b!.error).toContain('earlier boot');
  });

  it('this live process, an unknown owner and a workflow without a probe are left running', async () => {
    const runs = [
      await runOwnedBy(processOwner()),
      await runOwnedBy({ kind: 'unknown' }),
      await runOwnedBy({ kind: 'workflow', id: 'strata-x' }),
    ];
    const after = await reconcileRuns(temp.stack.database, runs);
    expect(after.map((r) => r.status)).toEqual(['running', 'running', 'running']);
  });

  it('an owner on another machine: judged by its heartbeat', async () => {
    const remote: RunOwner = { kind: 'process', pid: 1, host: 'another-host', bootId: 'b', startTicks: 1 };
    const fresh = await runOwnedBy(remote, Date.now());
    const stale = await runOwnedBy(remote, Date.now() - 120_000);
    const [f, s] = await reconcileRuns(temp.stack.database, [fresh, stale]);
    expect(f!.status).toBe('running');
    expect(s!.status).toBe('crashed');
    expect(s!.error).toMatch(/no heartbeat from process 1 on another-host for 1[12]\d s/);
  });

  it('a probe decides for the kinds it knows (e.g. a closed Temporal workflow)', async () => {
    const run = await runOwnedBy({ kind: 'workflow', id: 'strata-closed' });
    const [after] = await reconcileRuns(temp.stack.database, [run], {
      probes: { workflow: async () => ({ alive: false, reason: 'workflow strata-closed was terminated' }) },
    });
    expect(after!.error).toContain('workflow strata-closed was terminated');
  });

  it('a process that left last words (the blocked-loop watchdog): the step timed_out with them, the run failed', async () => {
    const owner: RunOwner = { ...processOwner(), startTicks: 2 };
    const run = await runOwnedBy(owner);
    const message = 'step "a" ran past its timeoutMs of 500 ms without yielding';
    // The body's start comes with them: its running mark may never have been written.
    const startedAt = Date.now() - 1234;
    writeLastWords(owner as ProcessOwner, [
      { runId: run.id, stepRunId: `${run.id}/a`, message, startedAt, attempt: 2 },
    ]);
    const [after] = await reconcileRuns(temp.stack.database, [run]);
    expect(after).toMatchObject({ status: 'failed', error: `step "a" timed out: ${message}` });
    expect(await statusesOf(run.id)).toEqual(['a:timed_out', 'b:cancelled']);
    expect(await temp.stack.database.getStepRun(`${run.id}/a`)).toMatchObject({
      error: message,
      startedAt,
      attempt: 2,
    });
  });
});
