import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunRecord, Stack } from '@strata/core';
import { cancelRun } from '@strata/core/plugin';
import { openStack, stepCommand } from '@strata/project';
import { until as waitUntil } from '@strata/testing';
import { quickstart } from '@strata-examples/quickstart/pipeline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProgress } from './api.js';
import type { RunProgress } from './plan.js';
import { createSchedule, deleteSchedule, listSchedules, pauseSchedule } from './schedules.js';
import { TemporalOrchestrator } from './temporal-orchestrator.js';
import { fanout } from './testing/fanout-pipeline.js';
import { slowPipeline } from './testing/slow-pipeline.js';
import {
  createTemporalProject,
  spawnWorker,
  type TemporalProject,
  type WorkerProcess,
} from './testing/temporal-project.js';

const testing = fileURLToPath(new URL('./testing/', import.meta.url));
let project: TemporalProject;
let stack: Stack;
let markers: string;
const workers: WorkerProcess[] = [];

/** Waits for a state, naming the worker's last output when it does not come. */
const until = <T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 120_000) =>
  waitUntil(what, probe, timeoutMs, () => workers.map((w) => w.output().slice(-2000)).join('\n---\n'));

const finished = (id: string) =>
  until(`run ${id} to finish`, async () => {
    const run = await stack.database.getRun(id);
    return run && run.endedAt !== null ? run : undefined;
  });

async function outputs(runId: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const row of await stack.database.listStepRuns(runId)) {
    for (const e of await stack.database.stepRunEvents(row.id))
      if (e.type === 'output') out[`${row.nodeId}[${row.mapIndex}].${e.name}`] = e.artifact.sha256;
  }
  return out;
}

async function startedPid(): Promise<number> {
  return until('the slow step to start', async () => {
    const file = (await readdir(markers)).find((f) => f.startsWith('started-'));
    if (file) await rm(join(markers, file));
    return file ? Number(file.slice('started-'.length)) : undefined;
  });
}

beforeAll(async () => {
  project = await createTemporalProject({ continueAsNewAfterEvents: 200 });
  markers = await mkdtemp(join(tmpdir(), 'strata-markers-'));
  workers.push(spawnWorker(project.root), spawnWorker(project.root));
  await Promise.all(workers.map((w) => w.ready));
  stack = await openStack({ cwd: project.root, stack: 'temporal' });
}, 180_000);

afterAll(async () => {
  await stack?.close();
  await Promise.all(workers.map((w) => w.stop()));
  await rm(markers, { recursive: true, force: true });
  if (project) await rm(project.root, { recursive: true, force: true });
});

describe('temporal orchestrator on a real dev server', () => {
  it('runs the quickstart on two workers with the same artifact hashes as the local orchestrator', async () => {
    expect(stack.orchestrator).toBeInstanceOf(TemporalOrchestrator);
    const remote = await quickstart.run({ stack });
    const run = await remote.wait({ timeoutMs: 120_000 });
    expect(run.error).toBeNull();
    expect(run.status).toBe('completed');
    expect(run.orchestrator).toBe('temporal');
    const local = await openStack({ cwd: project.root, stack: 'default' });
    try {
      const here = await (await quickstart.run({ stack: local, noCache: true })).wait();
      expect(here.status).toBe('completed');
      const rows = await local.database.listStepRuns(here.id);
      expect(rows.every((r) => r.status === 'completed')).toBe(true);
      const expected = await outputs(here.id);
      expect(Object.keys(expected)).toHaveLength(5);
      expect(await outputs(run.id)).toEqual(expected);
    } finally {
      await local.close();
    }
  });

  it('says a run is stalled when no worker polls its task queue, and nothing once workers do', async () => {
    const orchestrator = stack.orchestrator as TemporalOrchestrator;
    expect(await orchestrator.stalled('r-any', 'temporal')).toBeUndefined();
    const lonely = new TemporalOrchestrator({
      ...orchestrator.config,
      taskQueue: `nobody-polls-${Date.now()}`,
    });
    try {
      const hint = await lonely.stalled('r-any', 'temporal');
      expect(hint).toContain(`no worker polls Temporal task queue "${lonely.config.taskQueue}"`);
      expect(hint).toContain('strata worker --stack temporal');
    } finally {
      await lonely.close();
    }
    // An unreachable server says nothing about workers: no hint, and an answer within seconds.
    const unreachable = new TemporalOrchestrator({ ...orchestrator.config, address: '127.0.0.1:9' });
    try {
      expect(await unreachable.stalled('r-any', 'temporal')).toBeUndefined();
    } finally {
      await unreachable.close();
    }
  });

  it('completes a run after the submitting client process exited', { timeout: 180_000 }, async () => {
    const [node, ...flags] = stepCommand().slice(0, -1);
    const child = spawn(node!, [...flags, join(testing, 'submit-and-exit.ts'), markers, '1500'], {
      cwd: project.root,
      env: { ...process.env, STRATA_PROJECT_ROOT: project.root },
    });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
    const runId = /run (\S+)/.exec(stdout)?.[1];
    expect(runId).toBeDefined();
    await startedPid();
    const run = await finished(runId!);
    expect(run.status).toBe('completed');
    const [report] = (await stack.database.listStepRuns(runId!)).filter((r) => r.nodeId === 'report');
    const [pidEvent] = (await stack.database.stepRunEvents(report!.id)).filter((e) => e.type === 'output');
    expect(pidEvent).toBeDefined();
    // The step ran in one of the workers, not in the client.
    const preview = Number((pidEvent!.artifact.summary as { preview?: string }).preview);
    expect(workers.map((w) => w.child.pid)).toContain(preview);
  });

  it('cancels a run: the workflow and the running step activity stop', async () => {
    const handle = await slowPipeline.run({ stack, params: { markerDir: markers, ms: 60_000 } });
    await startedPid();
    await cancelRun(stack, handle.id);
    const slowRow = await until('the slow step to see the cancellation', async () => {
      const row = (await stack.database.listStepRuns(handle.id)).find((r) => r.nodeId === 'slow');
      return row?.status === 'cancelled' && row.error ? row : undefined;
    });
    expect(slowRow.error).toMatch(/cancel/i);
    const client = await (stack.orchestrator as TemporalOrchestrator).client();
    const status = await until('the workflow to close', async () => {
      const d = await client.workflow.getHandle(handle.id).describe();
      return d.status.name === 'RUNNING' ? undefined : d.status.name;
    });
    expect(status).toBe('CANCELLED');
    const report = (await stack.database.listStepRuns(handle.id)).find((r) => r.nodeId === 'report');
    expect(report?.status).toBe('cancelled');
    expect((await stack.database.getRun(handle.id))?.status).toBe('cancelled');
  });

  it('retries a step on the other worker when its worker is killed with SIGKILL mid-step', async () => {
    const handle = await slowPipeline.run({ stack, params: { markerDir: markers, ms: 5000 } });
    const victim = await startedPid();
    const index = workers.findIndex((w) => w.child.pid === victim);
    expect(index).toBeGreaterThanOrEqual(0);
    workers[index]!.child.kill('SIGKILL');
    const survivor = workers[1 - index]!.child.pid;
    const run = await handle.wait({ timeoutMs: 120_000 });
    expect(run.status).toBe('completed');
    expect(await handle.output('report', 'pid')).toBe(survivor);
    // Replace the dead worker for the tests that follow.
    workers[index] = spawnWorker(project.root);
    await workers[index]!.ready;
  });

  it('fans out over 5,000 items in batches, continuing as new, with progress in the query and the rows', async () => {
    const handle = await fanout.run({ stack, params: { count: 5000 } });
    const seen: RunProgress[] = [];
    let run: RunRecord | undefined;
    while (!run) {
      const progress = await runProgress(stack, handle.id).catch(() => undefined);
      if (progress) seen.push(progress);
      const current = await stack.database.getRun(handle.id);
      if (current?.endedAt) run = current;
      else await new Promise((r) => setTimeout(r, 1000));
    }
    expect(run.error).toBeNull();
    expect(run.status).toBe('completed');
    expect(await handle.output('total', 'sum')).toBe(((4999 * 5000) / 2) * ((2 * 4999 + 1) / 3));
    const rows = await stack.database.listStepRuns(handle.id);
    expect(
      rows.filter((r) => r.nodeId === 'square' && r.mapIndex >= 0 && r.status === 'completed'),
    ).toHaveLength(5000);
    // Mid-run, the query showed the mapped step partly done.
    expect(seen.some((p) => p.steps.running > 0 && (p.instances.square?.done ?? 0) < 5000)).toBe(true);
    const final = await runProgress(stack, handle.id);
    expect(final?.steps.completed).toBe(3);
    expect(final?.generation).toBeGreaterThan(0);
  }, 300_000);

  it('creates, lists, pauses and deletes a schedule whose runs fire on the workers', async () => {
    const created = await createSchedule({
      module: join(testing, 'fanout-pipeline.ts'),
      cron: '@every 2s',
      stack,
      params: { count: 3 },
    });
    expect(created.pipeline).toBe('fanout');
    try {
      const run = await until('a scheduled run', async () => {
        const runs = await stack.database.listRuns({ pipelineName: 'fanout' });
        return runs.find((r) => (r.params as { count?: number }).count === 3 && r.status === 'completed');
      });
      expect(run.stackName).toBe('temporal');
      expect((await listSchedules(stack)).map((s) => s.id)).toContain(created.id);
      await pauseSchedule(stack, created.id);
      expect((await listSchedules(stack)).find((s) => s.id === created.id)?.paused).toBe(true);
    } finally {
      await deleteSchedule(stack, created.id);
    }
    expect((await listSchedules(stack)).map((s) => s.id)).not.toContain(created.id);
  });

  it('spends one activity per step; the bookkeeping is recorded as local-activity markers', async () => {
    // Last, so that the 5,000-item run above finds none of its instances in the cache.
    const handle = await fanout.run({ stack, params: { count: 3 }, noCache: true });
    expect((await handle.wait({ timeoutMs: 120_000 })).status).toBe('completed');
    const client = await (stack.orchestrator as TemporalOrchestrator).client();
    const events = (await client.workflow.getHandle(handle.id).fetchHistory()).events ?? [];
    const activities = events.flatMap(
      (e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? [],
    );
    // numbers and total as single steps, the three square instances as one batch: nothing else.
    expect(activities.sort()).toEqual(['runBatch', 'runStep', 'runStep']);
    const markers = events.filter((e) => e.markerRecordedEventAttributes);
    // loadPlan, expandMap, collectMap and finishRun ran inside workflow tasks.
    expect(markers.length).toBeGreaterThanOrEqual(4);
  });
});
