import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { resumeRun, type StepRunRecord } from '@strata/core';
import { createTemporaryStack, scriptCommand, type TemporaryStack } from '@strata/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slowPipeline } from './fixtures/slow-pipeline.js';

/**
 * Resume after the process that owned a run was killed: the run is started by a child process on the
 * real local stack (SQLite, process owner), killed with SIGKILL mid-step, then resumed here. It needs
 * a store two processes share, so it lives with the local integration, not in core's unit tests.
 */
let temp: TemporaryStack;
beforeAll(async () => {
  temp = await createTemporaryStack();
});
afterAll(() => temp.cleanup());

async function rowsOf(runId: string): Promise<Record<string, StepRunRecord>> {
  const rows = await temp.stack.database.listStepRuns(runId);
  return Object.fromEntries(rows.map((r) => [r.nodeId, r]));
}

describe('resume after a kill', () => {
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
