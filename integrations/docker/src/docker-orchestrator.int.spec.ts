/**
 * Against a real Docker engine (`bash scripts/services/docker.sh`): every step runs in its own
 * container. Fails loudly when the engine or the base image is missing. Runs are submitted from a
 * tsx child process, as `strata run` does (vitest rewrites module code, which changes step code hashes).
 */
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { type Stack, stepRunId } from '@strata/core';
import { cancelRun } from '@strata/core/plugin';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerProject, leftoverContainers, type TestProject } from '../test/project.js';

const docker = new Docker({ socketPath: process.env.STRATA_TEST_DOCKER_SOCKET ?? '/var/run/docker.sock' });
const quickstart = fileURLToPath(new URL('../../../examples/quickstart/pipeline.ts', import.meta.url));
const fixtures = fileURLToPath(new URL('../test/pipelines.ts', import.meta.url));
let project: TestProject;
let stack: Stack;

beforeAll(async () => {
  await docker.ping().catch((error: Error) => {
    throw new Error(`no Docker engine on the socket (${error.message}): run bash scripts/services/docker.sh`);
  });
  await docker.getImage(process.env.STRATA_TEST_DOCKER_BASE_IMAGE ?? 'strata-node-base:20').inspect();
  project = await dockerProject();
  stack = await project.stack();
});

afterAll(async () => {
  await stack?.close();
  if (project) await rm(project.root, { recursive: true, force: true });
});

async function outputHashes(runId: string, nodes: readonly string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const node of nodes) {
    for (const event of await stack.database.stepRunEvents(stepRunId(runId, node))) {
      if (event.type === 'output') out[`${node}.${event.name}`] = event.artifact.sha256;
    }
  }
  return out;
}

describe('docker orchestrator', () => {
  it('runs the quickstart in containers with the same artifact hashes as the local stack, and reuses the image', async () => {
    const nodes = ['load_penguins', 'split', 'train', 'evaluate'];
    const localRun = await project.submit(quickstart, 'quickstart', { stack: 'default', noCache: true });
    expect(localRun.status, localRun.output).toBe('completed');

    const run = await project.submit(quickstart, 'quickstart', { noCache: true });
    expect(run.status, run.output).toBe('completed');
    expect((await stack.database.getRun(run.runId))?.orchestrator).toBe('docker');
    const rows = await stack.database.listStepRuns(run.runId);
    expect(rows.map((r) => r.status)).toEqual(['completed', 'completed', 'completed', 'completed']);
    const hashes = await outputHashes(run.runId, nodes);
    expect(Object.keys(hashes)).toHaveLength(5);
    expect(hashes).toEqual(await outputHashes(localRun.runId, nodes));
    // The step's own log lines were recorded by the StepRunner inside the container.
    const logs = await stack.database.readLogs({ stepRunId: stepRunId(run.runId, 'load_penguins') });
    expect(logs.map((l) => l.message).join('\n')).toMatch(/loaded \d+ penguins/);
    expect(await leftoverContainers(run.runId)).toEqual([]);
    await docker.getImage(run.image!.ref).inspect();

    // A second run builds an image exactly when the content tag is new (the tag only changes here if
    // someone edited the shared workspace meanwhile; project-image.int.spec.ts pins the reuse itself).
    const second = await project.submit(quickstart, 'quickstart');
    expect(second.status, second.output).toBe('completed');
    expect(second.image?.built).toBe(second.image?.ref !== run.image!.ref);
    expect((await stack.database.listStepRuns(second.runId)).map((r) => r.status)).toEqual([
      'cached',
      'cached',
      'cached',
      'cached',
    ]);
  }, 300_000);

  it('records a failing step with its error and removes its container', async () => {
    const run = await project.submit(fixtures, 'failing');
    expect(run.status, run.output).toBe('failed');
    const row = await stack.database.getStepRun(stepRunId(run.runId, 'fails'));
    expect(row?.status).toBe('failed');
    expect(row?.error).toContain('deliberate failure in a container');
    // The step's console output is stored as its log lines, beside ctx.logger's.
    const logs = (await stack.database.readLogs({ stepRunId: row!.id })).map(
      (l) => `${l.level} ${l.message}`,
    );
    expect(logs).toEqual(
      expect.arrayContaining(['info about to fail', 'info stdout line before the failure']),
    );
    expect(await leftoverContainers(run.runId)).toEqual([]);
  }, 180_000);

  it('marks an OOM-killed step failed with the reason', async () => {
    const run = await project.submit(fixtures, 'oom');
    expect(run.status, run.output).toBe('failed');
    const row = await stack.database.getStepRun(stepRunId(run.runId, 'hog'));
    expect(row?.status).toBe('failed');
    expect(row?.error).toMatch(/out of memory \(OOMKilled/);
    expect(await leftoverContainers(run.runId)).toEqual([]);
  }, 180_000);

  it('kills a step that exceeds its timeout', async () => {
    const run = await project.submit(fixtures, 'timeout');
    expect(run.status, run.output).toBe('failed');
    const row = await stack.database.getStepRun(stepRunId(run.runId, 'spin'));
    // timed_out, as on the local orchestrator (core's settleStepFromRow); the run itself failed.
    expect(row?.status).toBe('timed_out');
    expect(row?.error).toContain('timed out after 1000 ms');
    expect(await leftoverContainers(run.runId)).toEqual([]);
  }, 180_000);

  it('stops the containers of a run cancelled from another process', async () => {
    let started: (id: string) => void = () => undefined;
    const runId = new Promise<string>((resolve) => {
      started = resolve;
    });
    const finished = project.submit(fixtures, 'slow', { onStart: (id) => started(id) });
    const id = await runId;
    const waitId = stepRunId(id, 'wait');
    for (let i = 0; i < 600; i++) {
      const [row, containers] = await Promise.all([
        stack.database.getStepRun(waitId),
        leftoverContainers(id),
      ]);
      if (row?.status === 'running' && containers.length > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await leftoverContainers(id)).toHaveLength(1);
    // What `strata runs cancel` does: mark the run cancelled and stop its containers by label.
    await cancelRun(stack, id);
    const run = await finished;
    expect(run.status, run.output).toBe('cancelled');
    expect((await stack.database.getStepRun(waitId))?.status).toBe('cancelled');
    // The downstream step never started (the scheduler skips what depends on a cancelled step).
    const after = await stack.database.getStepRun(stepRunId(id, 'after'));
    expect(['skipped', 'cancelled']).toContain(after?.status);
    expect(after?.startedAt).toBeNull();
    expect(await leftoverContainers(id)).toEqual([]);
  }, 180_000);
});
