/**
 * Against a real Docker engine: a materializer contributed by a plugin (not built in) is applied inside
 * step containers too. The producer's container saves `t.custom('lines')` with it, the consumer's
 * container loads it back, and the submitter reads the stored artifact with the same materializer.
 */
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Stack } from '@strata/core';
import { loadArtifact } from '@strata/core/plugin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerProject, leftoverContainers, type TestProject } from '../test/project.js';

const pipelines = fileURLToPath(new URL('../test/lines-pipeline.ts', import.meta.url));
let project: TestProject;
let stack: Stack;

beforeAll(async () => {
  project = await dockerProject({ removeContainers: false }, { plugins: ['../../test/lines-plugin.ts'] });
  stack = await project.stack();
}, 600_000);

afterAll(async () => {
  await stack?.close();
  if (project) await rm(project.root, { recursive: true, force: true });
});

describe('plugin materializers in docker step containers', () => {
  it("saves and loads a plugin materializer's value in two containers", { timeout: 600_000 }, async () => {
    const run = await project.submit(pipelines, 'lines', { noCache: true });
    expect(run.status, run.output).toBe('completed');
    // Both steps really ran in containers of their own.
    expect(await leftoverContainers(run.runId)).toHaveLength(2);

    const written = (await stack.database.stepRunEvents(`${run.runId}/write_lines`)).find(
      (e) => e.type === 'output',
    );
    expect(written?.artifact).toMatchObject({ materializer: 'lines', materializerVersion: 1 });
    expect(
      await loadArtifact(
        { store: stack.artifactStore, materializers: stack.materializers },
        written!.artifact,
      ),
    ).toEqual(['alpha', 'beta', 'gamma']);

    const logs = await stack.database.readLogs({ stepRunId: `${run.runId}/join_lines` });
    expect(logs.map((l) => l.message)).toContain('read alpha+beta+gamma');
    const joined = (await stack.database.stepRunEvents(`${run.runId}/join_lines`)).find(
      (e) => e.type === 'output',
    );
    expect(
      await loadArtifact(
        { store: stack.artifactStore, materializers: stack.materializers },
        joined!.artifact,
      ),
    ).toBe('alpha+beta+gamma');
  });
});
