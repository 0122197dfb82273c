/**
 * Against the Temporal dev server (`source .services/env`): a worker runs several steps at once in its
 * one process, and a file read by one step's body without declaring it is reported on that step only.
 */
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Stack } from '@strata/core';
import { loadArtifact } from '@strata/core/plugin';
import { openStack } from '@strata/project';
import { concurrentReads } from '@strata/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTemporalProject,
  spawnWorker,
  type TemporalProject,
  type WorkerProcess,
} from './testing/temporal-project.js';

let project: TemporalProject;
let worker: WorkerProcess;
let stack: Stack;

beforeAll(async () => {
  project = await createTemporalProject();
  worker = spawnWorker(project.root, ['--stack', 'temporal', '--concurrency', '4']);
  await worker.ready;
  stack = await openStack({ cwd: project.root, stack: 'temporal' });
}, 180_000);

afterAll(async () => {
  await stack?.close();
  await worker?.stop();
  if (project) await rm(project.root, { recursive: true, force: true });
});

describe('undeclared reads on a temporal worker', () => {
  it('two steps running at once in the worker: only the one that read gets the warning', async () => {
    const file = join(project.root, 'notes.txt');
    await writeFile(file, 'b\n');
    const run = await (await concurrentReads.run({ stack, params: { file } })).wait({ timeoutMs: 120_000 });
    expect(run.error, worker.output().slice(-2000)).toBeNull();
    const warnings = async (node: string) =>
      (await stack.database.readLogs({ stepRunId: `${run.id}/${node}` }))
        .filter((l) => l.message.includes('undeclared read'))
        .map((l) => l.message);
    expect(await warnings('reader')).toEqual([expect.stringContaining(`the step read ${file}`)]);
    expect(await warnings('quiet')).toEqual([]);
    expect(await stack.database.getMetadata('step_run', `${run.id}/reader`)).toMatchObject({
      'strata.undeclaredReads': [file],
    });
    // Both ran in the worker process (not in this one), at the same time (they wait for each other).
    const output = (await stack.database.stepRunEvents(`${run.id}/quiet`)).find((e) => e.type === 'output');
    const io = { store: stack.artifactStore, materializers: stack.materializers };
    expect(await loadArtifact(io, output!.artifact)).toBe(worker.child.pid);
  }, 180_000);
});
