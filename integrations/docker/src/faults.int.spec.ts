/**
 * The fault cases that differ on Docker (a real engine, scripts/services/docker.sh): the submitter of a
 * run is killed with SIGKILL while a step container runs. Its run must not stay `running` and its
 * container must not outlive it: a reader reconciles the run to `crashed` and reaps the container;
 * the next Docker run reaps containers nobody reconciled; `reap()` (what `strata doctor --repair`
 * calls) finds them. Failure, OOM, timeout and cancel from another process are in
 * docker-orchestrator.int.spec.ts.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { type Stack, stepRunId } from '@strata/core';
import { reconcileRuns } from '@strata/core/plugin';
import { openProject } from '@strata/project';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerProject, leftoverContainers, type TestProject } from '../test/project.js';
import type { DockerOrchestrator } from './docker-orchestrator.js';

const docker = new Docker({ socketPath: process.env.STRATA_TEST_DOCKER_SOCKET ?? '/var/run/docker.sock' });
const fixtures = fileURLToPath(new URL('../test/pipelines.ts', import.meta.url));
let project: TestProject;
let stack: Stack;

beforeAll(async () => {
  await docker.ping().catch((error: Error) => {
    throw new Error(`no Docker engine on the socket (${error.message}): run bash scripts/services/docker.sh`);
  });
  project = await dockerProject();
  stack = await project.stack();
});

afterAll(async () => {
  await stack?.close();
  if (project) await rm(project.root, { recursive: true, force: true });
});

/** Starts the `slow` pipeline from a child submitter; resolves once its `wait` step's container runs. */
async function submitterMidStep(): Promise<{ id: string; child: ChildProcess }> {
  let child: ChildProcess | undefined;
  let started: (id: string) => void = () => undefined;
  const runId = new Promise<string>((resolve) => {
    started = resolve;
  });
  const finished = project.submit(fixtures, 'slow', {
    onStart: (id) => started(id),
    onChild: (c) => {
      child = c;
    },
  });
  finished.catch(() => undefined);
  const id = await runId;
  for (let i = 0; i < 900; i++) {
    const [row, containers] = await Promise.all([
      stack.database.getStepRun(stepRunId(id, 'wait')),
      docker.listContainers({ filters: { label: [`dev.strata.run-id=${id}`], status: ['running'] } }),
    ]);
    if (row?.status === 'running' && containers.length > 0) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(await leftoverContainers(id)).toHaveLength(1);
  return { id, child: child! };
}

async function kill9(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

async function eventuallyNoContainers(id: string): Promise<void> {
  for (let i = 0; i < 100 && (await leftoverContainers(id)).length > 0; i++)
    await new Promise((resolve) => setTimeout(resolve, 100));
  expect(await leftoverContainers(id)).toEqual([]);
}

describe('docker faults', () => {
  it('kill -9 of the submitter mid-step: a reader finds the run crashed and its container is reaped', async () => {
    const { id, child } = await submitterMidStep();
    // The step's owner is its container.
    const owners = await stack.database.owners([id]);
    expect(owners.find((o) => o.stepRunId === stepRunId(id, 'wait'))?.owner.kind).toBe('container');
    await kill9(child);
    // What `strata runs list` does, from a fresh project (it holds only the database).
    const reader = await openProject({ cwd: project.root });
    try {
      const [run] = await reconcileRuns(reader.database, [(await reader.database.getRun(id))!]);
      expect(run?.status).toBe('crashed');
      expect(run?.error).toMatch(/owner gone: process \d+ on .* is gone/);
    } finally {
      await reader.close();
    }
    await eventuallyNoContainers(id);
    const steps = await stack.database.listStepRuns(id);
    expect(steps.filter((s) => s.status === 'running' || s.status === 'pending')).toEqual([]);
  }, 300_000);

  it('kill -9 of the submitter: doctor --repair (reap) and the next docker run remove what nobody reconciled', async () => {
    const { id, child } = await submitterMidStep();
    await kill9(child);
    const orchestrator = stack.orchestrator as DockerOrchestrator;
    // `strata doctor` without --repair: reported, nothing touched.
    const seen = await orchestrator.reap(undefined, { dryRun: true });
    expect(seen.join('\n')).toMatch(
      new RegExp(
        `would be removed: container [0-9a-f]{12} \\(running\\) of run ${id} step wait: its starter, process \\d+ on .* is gone`,
      ),
    );
    expect(await leftoverContainers(id)).toHaveLength(1);
    // The next docker run starts by reaping it, and records the orphaned run crashed.
    const next = await project.submit(fixtures, 'cacheable');
    expect(next.status, next.output).toBe('completed');
    expect(await leftoverContainers(id)).toEqual([]);
    expect((await stack.database.getRun(id))?.status).toBe('crashed');
    expect(await orchestrator.reap(undefined, { dryRun: true })).toEqual([]);
  }, 300_000);

  it('SIGTERM of `strata run` mid-step: exit 143, run cancelled, its container removed, the resume command printed', async () => {
    // The built CLI, as a user runs it on this project's Docker stack (pnpm build makes it).
    const cli = fileURLToPath(new URL('../../../packages/cli/bin/strata.js', import.meta.url));
    const child = spawn(
      process.execPath,
      [cli, '--stack', 'docker', 'run', fixtures, '--pipeline', 'docker_slow'],
      {
        cwd: project.root,
        env: { ...process.env, STRATA_PROJECT_ROOT: project.root, NO_COLOR: '1', STRATA_STACK: 'docker' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout!.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.stderr!.on('data', (d: Buffer) => {
      output += d.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    // Until its `wait` step runs in a container.
    let id: string | undefined;
    for (let i = 0; i < 1200 && !id; i++) {
      const runId = /run (r-[a-z0-9]+-[a-z0-9]+)/.exec(output)?.[1];
      if (runId) {
        const running = await docker.listContainers({
          filters: { label: [`dev.strata.run-id=${runId}`], status: ['running'] },
        });
        if (running.length > 0) id = runId;
      }
      if (child.exitCode !== null) throw new Error(`strata run exited early:\n${output}`);
      if (!id) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(id, output).toBeDefined();
    child.kill('SIGTERM');
    expect(await exited, output).toBe(143);
    expect(output).toContain(`resume it with: strata runs resume ${id}`);
    expect(output).not.toMatch(/^\s+at .+[:(]/m);
    const run = await stack.database.getRun(id!);
    expect(run?.status).toBe('cancelled');
    const steps = await stack.database.listStepRuns(id!);
    expect(steps.filter((s) => s.status === 'running' || s.status === 'pending')).toEqual([]);
    expect(steps.find((s) => s.nodeId === 'wait')?.status).toBe('cancelled');
    // Removed by the cancel itself, not by a later reader or run.
    expect(await leftoverContainers(id!)).toEqual([]);
  }, 300_000);
});
