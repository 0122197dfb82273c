import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Stack } from '@strata/core';
import type { FiringWithRun } from '@strata/core/plugin';
import { createTrigger, deleteTrigger, fireNow, openProject, openStack, pauseTrigger } from '@strata/project';
import { until as waitUntil } from '@strata/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TemporalOrchestrator } from './temporal-orchestrator.js';
import {
  createTemporalProject,
  spawnWorker,
  type TemporalProject,
  type WorkerProcess,
} from './testing/temporal-project.js';
import { createTriggerActivities, triggerLoopId } from './trigger-loop.js';

const pipelineFile = fileURLToPath(new URL('./testing/on-data-pipeline.ts', import.meta.url));
let project: TemporalProject;
let stack: Stack;
let worker: WorkerProcess | undefined;

/** Waits for a state, naming the worker's last output when it does not come. */
const until = <T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 90_000) =>
  waitUntil(what, probe, timeoutMs, () => `${worker?.output().slice(-3000)}`);

/** The firings of `fresh` whose runs completed, oldest first. */
async function completed(n: number): Promise<FiringWithRun[]> {
  return until(`${n} completed triggered run(s)`, async () => {
    const firings = (await stack.database.listFirings({ trigger: 'fresh' })).reverse();
    return firings.filter((f) => f.runStatus === 'completed').length >= n ? firings : undefined;
  });
}

const orchestrator = () => stack.orchestrator as TemporalOrchestrator;

/** A `log` alerter on the temporal stack, writing alerts.jsonl in the project (what the workers alert). */
async function addLogAlerter(root: string): Promise<void> {
  const p = await openProject({ cwd: root });
  try {
    const now = Date.now();
    await p.database.createComponent({
      type: 'alerter',
      name: 'log',
      flavor: 'log',
      config: { file: 'alerts.jsonl' },
      createdAt: now,
      updatedAt: now,
    });
    const s = await p.database.getStack('temporal');
    await p.database.updateStack('temporal', { ...s!.components, alerter: 'log' });
  } finally {
    await p.close();
  }
}

beforeAll(async () => {
  project = await createTemporalProject();
  await mkdir(join(project.root, 'incoming'));
  await addLogAlerter(project.root);
  worker = spawnWorker(project.root);
  await worker.ready;
  stack = await openStack({ cwd: project.root, stack: 'temporal' });
}, 180_000);

afterAll(async () => {
  if (stack) {
    const client = await orchestrator().client();
    await client.workflow
      .getHandle(triggerLoopId(stack, orchestrator()))
      .terminate('test over')
      .catch(() => undefined);
    await stack.close();
  }
  await worker?.stop();
  if (project) await rm(project.root, { recursive: true, force: true });
});

describe('new-data triggers on Temporal: the durable trigger workflow (real dev server)', {
  timeout: 240_000,
}, () => {
  it('fires one run per data version on the workers, survives a killed worker, and never twice', async () => {
    const record = await createTrigger(stack, {
      name: 'fresh',
      file: pipelineFile,
      condition: { kind: 'new_data', source: 'incoming', param: 'data', pollMs: 500 },
      overlap: 'allow',
    });
    expect(record).toMatchObject({ firedBy: 'temporal', target: { stack: 'temporal' } });
    const client = await orchestrator().client();
    const loop = client.workflow.getHandle(triggerLoopId(stack, orchestrator()));
    expect((await loop.describe()).status.name).toBe('RUNNING');

    // 1. A file lands: the worker's watcher wakes the workflow, which starts the run on the workers.
    await writeFile(join(project.root, 'incoming', 'day-1.csv'), 'x\n1\n');
    const [first] = await completed(1);
    expect(first).toMatchObject({ status: 'started', evidence: { added: ['day-1.csv'] } });
    const run1 = await stack.database.getRun(first!.runId!);
    expect(run1?.orchestrator).toBe('temporal');
    expect((run1!.params as { data?: { added?: string[] } }).data?.added).toEqual(['day-1.csv']);
    expect((await stack.database.getMetadata('run', first!.runId!))['strata.trigger']).toMatchObject({
      trigger: 'fresh',
      firing: first!.id,
    });

    // 2. The only worker dies; data lands meanwhile; a new worker carries the same workflow on.
    worker!.child.kill('SIGKILL');
    await worker!.stop();
    await writeFile(join(project.root, 'incoming', 'day-2.csv'), 'x\n2\n');
    await new Promise((r) => setTimeout(r, 1500));
    worker = spawnWorker(project.root);
    await worker.ready;
    const afterRestart = await completed(2);
    expect(afterRestart[1]).toMatchObject({ evidence: { added: ['day-2.csv'] } });
    expect((await loop.describe()).status.name).toBe('RUNNING');

    // 3. Whoever looks at the same version (two more evaluators racing the workflow) starts nothing more.
    const racers = [
      createTriggerActivities(stack, orchestrator()),
      createTriggerActivities(stack, orchestrator()),
    ];
    await writeFile(join(project.root, 'incoming', 'day-3.csv'), 'x\n3\n');
    await new Promise((r) => setTimeout(r, 300));
    await Promise.all(
      racers.flatMap((r) => [r.tickTriggers({ stack: 'temporal' }), r.tickTriggers({ stack: 'temporal' })]),
    );
    await new Promise((r) => setTimeout(r, 300));
    await Promise.all(racers.map((r) => r.tickTriggers({ stack: 'temporal' })));
    const all = await completed(3);
    await new Promise((r) => setTimeout(r, 2000));
    const firings = await stack.database.listFirings({ trigger: 'fresh' });
    expect(firings).toHaveLength(3);
    expect(new Set(firings.map((f) => f.dedupeKey)).size).toBe(3);
    expect(all.map((f) => (f.evidence as { added: string[] }).added)).toEqual([
      ['day-1.csv'],
      ['day-2.csv'],
      ['day-3.csv'],
    ]);
    const runs = (await stack.database.listRuns({ limit: 20 })).filter((r) => r.pipelineName === 'on-data');
    expect(runs).toHaveLength(3);

    // 4. A triggered run that fails is alerted by the worker that saw it end (nobody else waits for it).
    await writeFile(join(project.root, 'incoming', 'bad.csv'), 'x\n');
    const alert = await until('a run_failed alert', async () => {
      const lines = await readFile(join(project.root, 'alerts.jsonl'), 'utf8').catch(() => '');
      return lines
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { kind: string; fields?: { run?: string } })
        .find((a) => a.kind === 'run_failed');
    });
    const failed = (await stack.database.listFirings({ trigger: 'fresh' }))[0]!;
    expect(alert.fields?.run).toBe(failed.runId);
    expect((await stack.database.getRun(failed.runId!))?.status).toBe('failed');

    // 5. Paused, it fires nothing (the workflow reads the stored flag); deleted, it is gone.
    await pauseTrigger(stack, 'fresh', true);
    await writeFile(join(project.root, 'incoming', 'day-4.csv'), 'x\n4\n');
    await new Promise((r) => setTimeout(r, 2500));
    expect(await stack.database.listFirings({ trigger: 'fresh' })).toHaveLength(4);
    await deleteTrigger(stack, 'fresh');
    expect(await stack.database.getTrigger('fresh')).toBeUndefined();
  });

  it('records a Temporal Schedule firing under the stored schedule, linked to its run', async () => {
    await createTrigger(stack, {
      name: 'hourly',
      file: pipelineFile,
      condition: { kind: 'schedule', every: '1h' },
    });
    expect((await stack.database.getTrigger('hourly'))?.firedBy).toBe('temporal');
    // Catch-up one (the default): Temporal's catch-up window is one period, so only the newest missed slot runs.
    const client = await orchestrator().client();
    expect((await client.schedule.getHandle('strata-hourly').describe()).policies.catchupWindow).toBe(
      3_600_000,
    );
    expect(await fireNow(stack, 'hourly')).toBeUndefined(); // Temporal starts it
    const [firing] = await until('the schedule firing to complete its run', async () => {
      const firings = await stack.database.listFirings({ trigger: 'hourly' });
      return firings[0]?.runStatus === 'completed' ? firings : undefined;
    });
    expect(firing).toMatchObject({
      status: 'started',
      firedBy: 'temporal',
      dedupeKey: expect.stringMatching(/^temporal:strata-hourly-/),
    });
    expect((await stack.database.getMetadata('run', firing!.runId!))['strata.trigger']).toMatchObject({
      trigger: 'hourly',
      kind: 'schedule',
      firing: firing!.id,
    });
    await deleteTrigger(stack, 'hourly');
  });
});
