import { createTemporaryStack, type TemporaryStack } from '@strata/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crashing, isolated } from './fixtures/pipelines.js';

describe('LocalOrchestrator with process isolation', () => {
  let temp: TemporaryStack;
  beforeAll(async () => {
    temp = await createTemporaryStack({ isolation: 'process', concurrency: 2 });
  });
  afterAll(() => temp.cleanup());

  it('runs each step in its own child process through the step entry point', async () => {
    const handle = await isolated.run({ stack: temp.stack });
    const run = await handle.wait();
    expect(run.status).toBe('completed');
    const [first, second] = await handle.output<number[]>('double', 'pids');
    expect(first).toBe(await handle.output<number>('who_am_i', 'pid'));
    expect(first).not.toBe(process.pid);
    expect(second).not.toBe(process.pid);
    expect(second).not.toBe(first);
  });

  it('marks a step whose process crashed as failed and skips its downstream steps', async () => {
    const run = await (await crashing.run({ stack: temp.stack })).wait();
    expect(run.status).toBe('failed');
    const rows = Object.fromEntries(
      (await temp.stack.database.listStepRuns(run.id)).map((r) => [r.nodeId, r]),
    );
    expect(rows.crash).toMatchObject({
      status: 'failed',
      error: 'step process exited with code 137 before recording a result',
    });
    expect(rows.downstream).toMatchObject({
      status: 'skipped',
      cacheReason: 'upstream step "crash" did not succeed',
    });
  });
});
