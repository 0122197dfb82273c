/**
 * Liveness on Temporal (a real dev server, scripts/services/temporal.sh): a run's owner is its
 * workflow. A run whose workflow was terminated or timed out outside Strata is reconciled by the next
 * reader instead of staying `running`, and `runs resume` refuses a run whose workflow is still alive.
 * Cancel, a killed submitter and a worker killed mid-step are in temporal.int.spec.ts.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resumeRun, type Stack } from '@strata/core';
import { reconcileRuns } from '@strata/core/plugin';
import { openProject, openStack } from '@strata/project';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TemporalOrchestrator } from './temporal-orchestrator.js';
import { chattyPipeline } from './testing/console-pipeline.js';
import { slowPipeline } from './testing/slow-pipeline.js';
import {
  createTemporalProject,
  spawnWorker,
  type TemporalProject,
  type WorkerProcess,
} from './testing/temporal-project.js';

let project: TemporalProject;
let stack: Stack;
let markers: string;
let worker: WorkerProcess;

beforeAll(async () => {
  project = await createTemporalProject();
  markers = await mkdtemp(join(tmpdir(), 'strata-markers-'));
  worker = spawnWorker(project.root);
  await worker.ready;
  stack = await openStack({ cwd: project.root, stack: 'temporal' });
}, 180_000);

afterAll(async () => {
  await stack?.close();
  await worker?.stop();
  await rm(markers, { recursive: true, force: true });
  if (project) await rm(project.root, { recursive: true, force: true });
});

async function started(): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if ((await readdir(markers)).some((f) => f.startsWith('started-'))) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the slow step never started\n${worker.output().slice(-2000)}`);
}

/** What `strata runs list` does, from a project that holds only the database. */
async function readBack(id: string) {
  const reader = await openProject({ cwd: project.root });
  try {
    const [run] = await reconcileRuns(reader.database, [(await reader.database.getRun(id))!]);
    return { run: run!, steps: await reader.database.listStepRuns(id) };
  } finally {
    await reader.close();
  }
}

describe('temporal liveness', () => {
  it('a run whose workflow is alive stays running and cannot be resumed; once terminated, a reader finds it crashed', async () => {
    const handle = await slowPipeline.run({ stack, params: { markerDir: markers, ms: 60_000 } });
    await started();
    const owners = await stack.database.owners([handle.id]);
    expect(owners.find((o) => o.stepRunId === null)?.owner).toMatchObject({
      kind: 'workflow',
      id: handle.id,
    });

    expect((await readBack(handle.id)).run.status).toBe('running');
    await expect(resumeRun(handle.id, slowPipeline, { stack })).rejects.toMatchObject({
      code: 'run_alive',
      message: expect.stringContaining(`Temporal workflow ${handle.id}`),
    });

    // Terminated from outside Strata (`temporal workflow terminate`): nothing records the run's end.
    const client = await (stack.orchestrator as TemporalOrchestrator).client();
    await client.workflow.getHandle(handle.id).terminate('operator pressed the button');
    const { run, steps } = await readBack(handle.id);
    expect(run.status).toBe('crashed');
    expect(run.error).toContain(`Temporal workflow ${handle.id} was terminated`);
    expect(steps.filter((s) => s.status === 'running' || s.status === 'pending')).toEqual([]);
    // The waiting client ends too instead of polling forever.
    expect((await handle.wait({ timeoutMs: 30_000 })).status).toBe('crashed');
  }, 180_000);

  it("stores each step's console output as its own log lines on a worker running both at once", async () => {
    const run = await (await chattyPipeline.run({ stack })).wait({ timeoutMs: 60_000 });
    expect(run.status).toBe('completed');
    for (const name of ['left', 'right']) {
      const logs = await stack.database.readLogs({ stepRunId: `${run.id}/${name}` });
      expect(logs.map((l) => `${l.level} ${l.message}`)).toEqual([
        `info ${name} line 0`,
        `info ${name} line 1`,
        `info ${name} line 2`,
        `error ${name} complains`,
      ]);
    }
  }, 120_000);
});
