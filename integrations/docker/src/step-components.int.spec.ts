/**
 * Against a real Docker engine (`bash scripts/services/docker.sh`): the step-component contract (a step
 * in a container reaches the stack's model registry through `ctx.component(ModelRegistry)`).
 * Containers are kept (removeContainers: false) so the spec can count them by their run label.
 */
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Stack } from '@strata/core';
import { openProject } from '@strata/project';
import { stepComponentModule, stepComponentResult } from '@strata/testing';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerProject, leftoverContainers, type TestProject } from '../test/project.js';
import { RUN_LABEL } from './labels.js';

const fixtures = fileURLToPath(new URL('../test/pipelines.ts', import.meta.url));

const docker = new Docker({ socketPath: process.env.STRATA_TEST_DOCKER_SOCKET ?? '/var/run/docker.sock' });
let project: TestProject;
let stack: Stack;
const runs: string[] = [];

beforeAll(async () => {
  await docker.ping().catch((error: Error) => {
    throw new Error(`no Docker engine on the socket (${error.message}): run bash scripts/services/docker.sh`);
  });
  project = await dockerProject({ removeContainers: false });
  const setup = await openProject({ cwd: project.root });
  try {
    const now = Date.now();
    await setup.database.createStack({
      name: 'docker-components',
      components: { orchestrator: 'docker', artifact_store: 'default', model_registry: 'default' },
      createdAt: now,
      updatedAt: now,
    });
  } finally {
    await setup.close();
  }
  stack = await project.stack('docker-components');
}, 120_000);

afterAll(async () => {
  await stack?.close();
  for (const runId of runs) {
    const containers = await docker.listContainers({
      all: true,
      filters: { label: [`${RUN_LABEL}=${runId}`] },
    });
    await Promise.all(
      containers.map((c) =>
        docker
          .getContainer(c.Id)
          .remove({ force: true })
          .catch(() => undefined),
      ),
    );
  }
  if (project) await rm(project.root, { recursive: true, force: true });
});

describe('docker orchestrator and the stack components', () => {
  it('runs a step that uses the stack model registry in its container', async () => {
    const run = await project.submit(stepComponentModule, 'stepComponentPipeline', {
      stack: 'docker-components',
    });
    runs.push(run.runId);
    expect(run.status, run.output).toBe('completed');
    const result = await stepComponentResult(stack, run.runId);
    expect(result.registeredVersion).toBeGreaterThan(0);
    expect(result.output).toMatchObject({ version: result.registeredVersion, flavor: 'local' });
    // Both steps ran in containers of their own (kept, so they can be counted).
    expect(await leftoverContainers(run.runId)).toHaveLength(2);
  }, 300_000);

  it('decides cache hits in the submitter: a fully cached second run starts no container', async () => {
    const first = await project.submit(fixtures, 'cacheable', { noCache: true });
    runs.push(first.runId);
    expect(first.status, first.output).toBe('completed');
    // produce_rows, total_rows and 3 instances of square_row, one container each.
    expect(await leftoverContainers(first.runId)).toHaveLength(5);

    const second = await project.submit(fixtures, 'cacheable');
    runs.push(second.runId);
    expect(second.status, second.output).toBe('completed');
    const rows = await stack.database.listStepRuns(second.runId);
    expect(rows).toHaveLength(6);
    // Every step and map instance is a hit; the mapped step's parent row is collected from them.
    for (const row of rows) {
      const mappedParent = row.nodeId === 'square_row' && row.mapIndex < 0;
      expect(row.status, row.id).toBe(mappedParent ? 'completed' : 'cached');
    }
    expect(await leftoverContainers(second.runId)).toEqual([]);
  }, 300_000);
});
