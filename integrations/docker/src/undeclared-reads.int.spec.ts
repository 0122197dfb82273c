/**
 * Against a real Docker engine: a step container runs the same step-entry program as process
 * isolation, so a file its body reads without declaring it is recorded as a warning on the step.
 */
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Stack } from '@strata/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerProject, type TestProject } from '../test/project.js';

const fixtures = fileURLToPath(new URL('../test/pipelines.ts', import.meta.url));
const data = fileURLToPath(new URL('../test/undeclared.txt', import.meta.url));
let project: TestProject;
let stack: Stack;

beforeAll(async () => {
  project = await dockerProject();
  stack = await project.stack();
}, 600_000);

afterAll(async () => {
  await stack?.close();
  if (project) await rm(project.root, { recursive: true, force: true });
});

describe('undeclared reads in a docker step container', () => {
  it('records a warning naming the file and how to declare it', { timeout: 600_000 }, async () => {
    const run = await project.submit(fixtures, 'undeclared');
    expect(run.status, run.output).toBe('completed');
    const id = `${run.runId}/reads_undeclared`;
    const warnings = (await stack.database.readLogs({ stepRunId: id })).filter((l) =>
      l.message.includes('undeclared read'),
    );
    expect(warnings.map((w) => w.message)).toEqual([expect.stringContaining(`the step read ${data}`)]);
    expect(warnings[0]!.message).toContain("pass source('");
    expect(await stack.database.getMetadata('step_run', id)).toMatchObject({
      'strata.undeclaredReads': [data],
    });
  });
});
