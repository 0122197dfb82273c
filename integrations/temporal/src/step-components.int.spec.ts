/**
 * Against the Temporal dev server (`source .services/env`): the worker runs steps with its stack's
 * components (the step-component contract), and refuses a run submitted on another stack that shares
 * its task queue instead of writing that run's artifacts to its own store.
 */
import { rm } from 'node:fs/promises';
import type { Stack } from '@strata/core';
import { openProject, openStack } from '@strata/project';
import { stepComponentPipeline, stepComponentResult } from '@strata/testing';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTemporalProject,
  spawnWorker,
  type TemporalProject,
  temporalAddress,
  type WorkerProcess,
} from './testing/temporal-project.js';

let project: TemporalProject;
let worker: WorkerProcess;
const opened: Stack[] = [];

beforeAll(async () => {
  project = await createTemporalProject();
  // `components`: the temporal orchestrator with the default stack's model registry; `other`: the same
  // orchestrator (so the same task queue) with another artifact store and no worker of its own.
  const setup = await openProject({ cwd: project.root });
  try {
    const now = Date.now();
    const db = setup.database;
    await db.createComponent({
      type: 'artifact_store',
      name: 'other',
      flavor: 'local',
      config: { path: '.strata/other-artifacts' },
      createdAt: now,
      updatedAt: now,
    });
    await db.createStack({
      name: 'components',
      components: { orchestrator: 'temporal', artifact_store: 'default', model_registry: 'default' },
      createdAt: now,
      updatedAt: now,
    });
    await db.createStack({
      name: 'other',
      components: { orchestrator: 'temporal', artifact_store: 'other', model_registry: 'default' },
      createdAt: now,
      updatedAt: now,
    });
  } finally {
    await setup.close();
  }
  worker = spawnWorker(project.root, ['--stack', 'components']);
  await worker.ready;
}, 180_000);

afterAll(async () => {
  await Promise.all(opened.map((s) => s.close()));
  await worker?.stop();
  if (project) await rm(project.root, { recursive: true, force: true });
});

async function open(name: string): Promise<Stack> {
  const stack = await openStack({ cwd: project.root, stack: name });
  opened.push(stack);
  return stack;
}

describe('temporal worker and its stack', () => {
  it('runs a step that uses the stack model registry (ctx.component(ModelRegistry)) on the worker', async () => {
    const stack = await open('components');
    const run = await (await stepComponentPipeline.run({ stack })).wait({ timeoutMs: 120_000 });
    expect(run.error, worker.output().slice(-2000)).toBeNull();
    expect(run.status).toBe('completed');
    const result = await stepComponentResult(stack, run.id);
    expect(result.output).toMatchObject({ version: result.registeredVersion, flavor: 'local' });
    expect(result.registeredVersion).toBeGreaterThan(0);
    // Executed by the worker process, not by this one.
    expect(result.output?.pid).toBe(worker.child.pid);
  }, 180_000);

  it('refuses a run submitted on another stack that shares its task queue, naming both stacks', async () => {
    const other = await open('other');
    const handle = await stepComponentPipeline.run({ stack: other });
    const connection = await Connection.connect({ address: temporalAddress() });
    try {
      const workflow = new Client({ connection }).workflow.getHandle(handle.id);
      // The orchestrator starts the workflow after run() returns: wait until the server knows it.
      for (let tries = 0; ; tries++) {
        if (
          await workflow.describe().then(
            () => true,
            () => false,
          )
        )
          break;
        if (tries > 150) throw new Error(`workflow ${handle.id} was never started`);
        await new Promise((r) => setTimeout(r, 200));
      }
      const error = await workflow.result().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeDefined();
      const chain: string[] = [];
      for (let e = error as { message?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e)
        chain.push(e.message ?? '');
      const text = chain.join('\n');
      expect(text).toMatch(/submitted on stack "other", but this Temporal worker serves stack "components"/);
      expect(text).toMatch(/strata worker --stack other/);
    } finally {
      await connection.close();
    }
    // Nothing ran on the wrong stack: no step started, no output was recorded (so none was stored),
    // and the run does not stay `running`: it is failed with the refusal.
    const run = await other.database.getRun(handle.id);
    expect(run?.status).toBe('failed');
    expect(run?.error).toMatch(/submitted on stack "other"/);
    const rows = await other.database.listStepRuns(handle.id);
    expect(rows.map((r) => [r.status, r.startedAt])).toEqual([
      ['cancelled', null],
      ['cancelled', null],
    ]);
    for (const row of rows) expect(await other.database.stepRunEvents(row.id)).toEqual([]);
  }, 180_000);
});
