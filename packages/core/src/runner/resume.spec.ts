import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTemporaryStack, scriptCommand, type TemporaryStack } from '@strata/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../artifact-type/artifact-type.js';
import type { StepRunRecord } from '../metadata/records.js';
import { pipeline } from '../pipeline/pipeline.js';
import { step } from '../step/step.js';
import { slowPipeline } from './fixtures/slow-pipeline.js';
import { sleep } from './retry.js';
import { resumeRun } from './run-pipeline.js';

let temp: TemporaryStack;
beforeAll(async () => {
  temp = await createTemporaryStack();
});
afterAll(() => temp.cleanup());

async function rowsOf(runId: string): Promise<Record<string, StepRunRecord>> {
  const rows = await temp.stack.database.listStepRuns(runId);
  return Object.fromEntries(rows.map((r) => [r.nodeId, r]));
}

// The "bug" is a module-level switch the test flips, as a developer would fix the code.
let broken = true;
const executed: string[] = [];
const load = step({
  name: 'load',
  outputs: { rows: t.json<number[]>() },
  run: () => {
    executed.push('load');
    return { rows: [1, 2, 3] };
  },
});
const side = step({
  name: 'side',
  inputs: { rows: t.json<number[]>() },
  outputs: { n: t.number() },
  run: ({ rows }) => {
    executed.push('side');
    return { n: rows.length };
  },
});
const transform = step({
  name: 'transform',
  inputs: { rows: t.json<number[]>() },
  outputs: { rows: t.json<number[]>() },
  run: ({ rows }) => {
    executed.push('transform');
    if (broken) throw new Error('transform is broken');
    return { rows: rows.map((r) => r * 10) };
  },
});
const report = step({
  name: 'report',
  inputs: { rows: t.json<number[]>() },
  outputs: { total: t.number() },
  run: ({ rows }) => {
    executed.push('report');
    return { total: rows.reduce((a, b) => a + b, 0) };
  },
});
const resumable = pipeline({
  name: 'resumable',
  body: () => {
    const { rows } = load();
    side({ rows });
    const fixed = transform({ rows });
    report({ rows: fixed.rows });
  },
});

describe('resume', () => {
  it('re-runs only the failed step and its descendants once the step is fixed', async () => {
    const failed = await (await resumable.run({ stack: temp.stack, failFast: false })).wait();
    expect(failed.status).toBe('failed');
    expect((await rowsOf(failed.id)).report?.status).toBe('skipped');

    broken = false;
    executed.length = 0;
    const handle = await resumeRun(failed.id, resumable, { stack: temp.stack });
    const resumed = await handle.wait();
    expect(resumed.status).toBe('completed');
    expect(resumed.resumedFrom).toBe(failed.id);
    expect(executed.sort()).toEqual(['report', 'transform']);
    const rows = await rowsOf(resumed.id);
    expect(rows.load).toMatchObject({
      status: 'cached',
      cacheReason: `hit: reused from run ${failed.id} (resume)`,
    });
    expect(rows.side?.status).toBe('cached');
    expect(rows.transform?.status).toBe('completed');
    expect(await handle.output('report', 'total')).toBe(60);
  });

  it('refuses to resume a completed run or an unknown one', async () => {
    const done = await (await resumable.run({ stack: temp.stack })).wait();
    await expect(resumeRun(done.id, resumable, { stack: temp.stack })).rejects.toThrow(/already completed/);
    await expect(resumeRun('r-nope', resumable, { stack: temp.stack })).rejects.toThrow(/does not exist/);
  });

  it('finishes a run whose process was killed mid-run, reusing the completed steps', async () => {
    const script = fileURLToPath(new URL('./fixtures/slow-pipeline.ts', import.meta.url));
    const [command, ...args] = scriptCommand(script, [temp.root]);
    const child = spawn(command!, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_c, signal) => resolve(signal)),
    );
    const deadline = Date.now() + 60_000;
    while (!existsSync(join(temp.root, 'started'))) {
      if (Date.now() > deadline) throw new Error(`the slow step never started; child output: ${out}`);
      await sleep(50);
    }
    const runId = out.trim().split('\n')[0]!;
    const db = temp.stack.database;
    // A step still going after 100 ms is marked running (running-mark.ts); kill it once it is.
    while ((await rowsOf(runId)).wait_for_release?.status !== 'running') {
      if (Date.now() > deadline)
        throw new Error(`the slow step was never marked running; child output: ${out}`);
      await sleep(20);
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect((await db.getRun(runId))?.status).toBe('running');
    const before = await rowsOf(runId);
    expect([before.prepare?.status, before.wait_for_release?.status, before.finish?.status]).toEqual([
      'completed',
      'running',
      'pending',
    ]);

    await writeFile(join(temp.root, 'release'), '');
    const handle = await resumeRun(runId, slowPipeline, { stack: temp.stack });
    const resumed = await handle.wait();
    expect(resumed.status).toBe('completed');
    const after = await rowsOf(resumed.id);
    expect(after.prepare).toMatchObject({
      status: 'cached',
      cacheReason: `hit: reused from run ${runId} (resume)`,
    });
    expect(after.wait_for_release?.status).toBe('completed');
    expect(await handle.output('finish', 'answer')).toBe('the answer is 42');
    // The killed process was the run's owner: resume found it gone, so the old run is `crashed`
    // (with the reason and a pointer to the new run) and none of its step rows stays active.
    const old = await db.getRun(runId);
    expect(old?.status).toBe('crashed');
    expect(old?.error).toMatch(
      new RegExp(`^owner gone: process \\d+ on .+ is gone .*; resumed as run ${resumed.id}$`),
    );
    const oldRows = await rowsOf(runId);
    expect([oldRows.prepare?.status, oldRows.wait_for_release?.status, oldRows.finish?.status]).toEqual([
      'completed',
      'crashed',
      'cancelled',
    ]);
  });
});
