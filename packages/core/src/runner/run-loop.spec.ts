import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { t } from '../artifact-type/artifact-type.js';
import type { StepRunRecord } from '../metadata/records.js';
import { when } from '../pipeline/compile-scope.js';
import { pipeline } from '../pipeline/pipeline.js';
import { step } from '../step/step.js';
import { createMemoryStack, type MemoryStack } from '../testing/index.js';
import { sleep } from './retry.js';

let temp: MemoryStack;
beforeAll(async () => {
  temp = await createMemoryStack({ concurrency: 8 });
});
afterAll(() => temp.cleanup());

async function rowsOf(runId: string): Promise<Record<string, StepRunRecord>> {
  const rows = await temp.stack.database.listStepRuns(runId);
  return Object.fromEntries(rows.map((r) => [r.mapIndex < 0 ? r.nodeId : `${r.nodeId}[${r.mapIndex}]`, r]));
}

const numbers = step({
  name: 'numbers',
  outputs: { items: t.json<number[]>() },
  params: z.object({ count: z.number().int().default(6) }),
  run: (_i, { count }) => ({ items: Array.from({ length: count }, (_, i) => i + 1) }),
});

describe('fan-out and fan-in', () => {
  let running = 0;
  let peak = 0;
  const square = step({
    name: 'square',
    inputs: { n: t.number() },
    outputs: { sq: t.number() },
    run: async ({ n }) => {
      running++;
      peak = Math.max(peak, running);
      await sleep(15);
      running--;
      return { sq: n * n };
    },
  });
  const sum = step({
    name: 'sum',
    inputs: { values: t.json<number[]>() },
    outputs: { total: t.number() },
    run: ({ values }) => ({ total: values.reduce((a, b) => a + b, 0) }),
  });
  const fan = pipeline({
    name: 'fan',
    body: () => {
      const { items } = numbers();
      const { sq } = square.map('n', { n: items }, { concurrency: 2 });
      sum({ values: sq });
    },
  });

  it('maps a step over a list with the concurrency limit and collects outputs in element order', async () => {
    const handle = await fan.run({ stack: temp.stack });
    expect((await handle.wait()).status).toBe('completed');
    expect(peak).toBe(2);
    expect(await handle.output('square', 'sq')).toEqual([1, 4, 9, 16, 25, 36]);
    expect(await handle.output('sum', 'total')).toBe(91);
    const rows = await rowsOf(handle.id);
    expect(Object.keys(rows).filter((k) => k.startsWith('square[')).length).toBe(6);
    expect(rows.square?.cacheReason).toBe('collected 6 instances');
  });

  it('hands the items to the instances and the collected lists downstream in memory, without reading them back', async () => {
    const db = temp.stack.database;
    const events = vi.spyOn(db, 'stepRunEvents');
    const statuses = vi.spyOn(db, 'listStepStatuses');
    try {
      const handle = await fan.run({ stack: temp.stack, noCache: true });
      expect((await handle.wait()).status).toBe('completed');
      // Only the expansion's look for items an earlier attempt recorded (none: this is a new run).
      expect(events.mock.calls).toEqual([[`${handle.id}/square`]]);
      // The run loop's first and last reads of the run's rows; the expansion and the collection add none.
      expect(statuses).toHaveBeenCalledTimes(2);
      expect(await handle.output('sum', 'total')).toBe(91);
    } finally {
      events.mockRestore();
      statuses.mockRestore();
    }
  });

  it('re-uses every instance from the cache on a second run', async () => {
    const handle = await fan.run({ stack: temp.stack });
    await handle.wait();
    const rows = await rowsOf(handle.id);
    expect(rows['square[3]']?.status).toBe('cached');
    expect(rows.sum?.status).toBe('cached');
    expect(await handle.output('sum', 'total')).toBe(91);
  });
});

describe('conditions and ordering', () => {
  const order: string[] = [];
  const score = step({
    name: 'score',
    outputs: { value: t.number() },
    params: z.object({ value: z.number() }),
    run: (_i, { value }) => ({ value }),
  });
  const deploy = step({
    name: 'deploy',
    inputs: { value: t.number() },
    outputs: { deployed: t.boolean() },
    run: () => ({ deployed: true }),
  });
  const notify = step({
    name: 'notify',
    inputs: { deployed: t.boolean() },
    outputs: {},
    run: () => ({}),
  });
  const gated = pipeline({
    name: 'gated',
    params: z.object({ value: z.number() }),
    body: ({ value }) => {
      const s = score({}, { params: { value } });
      when(
        s.value,
        (v) => v > 0.5,
        () => {
          const { deployed } = deploy({ value: s.value });
          notify({ deployed });
        },
      );
    },
  });

  it('runs the branch when the predicate holds', async () => {
    const run = await (await gated.run({ stack: temp.stack, params: { value: 0.9 } })).wait();
    const rows = await rowsOf(run.id);
    expect([rows.deploy?.status, rows.notify?.status]).toEqual(['completed', 'completed']);
  });

  it('skips the branch and its descendants when it does not, and the run still completes', async () => {
    const run = await (await gated.run({ stack: temp.stack, params: { value: 0.1 } })).wait();
    expect(run.status).toBe('completed');
    const rows = await rowsOf(run.id);
    expect(rows.deploy).toMatchObject({ status: 'skipped', cacheReason: 'condition was false' });
    expect(rows.notify).toMatchObject({
      status: 'skipped',
      cacheReason: 'upstream step "deploy" did not succeed',
    });
  });

  it('honours `after` without a data dependency', async () => {
    const mark = (name: string, ms: number) =>
      step({
        name,
        outputs: {},
        cache: false,
        run: async () => {
          await sleep(ms);
          order.push(name);
          return {};
        },
      });
    const slow = mark('slow', 40);
    const fast = mark('fast', 0);
    const p = pipeline({
      name: 'ordered',
      body: () => {
        const first = slow();
        fast({}, { after: [first] });
      },
    });
    await (await p.run({ stack: temp.stack })).wait();
    expect(order).toEqual(['slow', 'fast']);
  });
});

describe('retries, timeouts and hooks', () => {
  it('retries a failing step with backoff until it succeeds', async () => {
    let calls = 0;
    const flaky = step({
      name: 'flaky',
      outputs: { ok: t.boolean() },
      retry: { attempts: 3, delayMs: 5, backoff: 2 },
      cache: false,
      run: (_i, _p, ctx) => {
        calls++;
        if (ctx.attempt < 3) throw new Error(`transient ${ctx.attempt}`);
        return { ok: true };
      },
    });
    const run = await (
      await pipeline({ name: 'flaky', body: () => void flaky() }).run({ stack: temp.stack })
    ).wait();
    expect(run.status).toBe('completed');
    expect(calls).toBe(3);
    const rows = await rowsOf(run.id);
    expect(rows.flaky).toMatchObject({ status: 'completed', attempt: 3, error: null });
    const logs = await temp.stack.database.readLogs({ stepRunId: rows.flaky!.id });
    // Each line carries that attempt's duration (the dashboard rebuilds earlier attempts' start times from it).
    expect(logs.map((l) => l.message.replace(/ after \d+ ms:/, ' after N ms:'))).toEqual([
      'attempt 1/3 failed after N ms: Error: transient 1; retrying in 5 ms',
      'attempt 2/3 failed after N ms: Error: transient 2; retrying in 10 ms',
    ]);
  });

  it('fails a step that exceeds its timeout and aborts its signal', async () => {
    let aborted = false;
    const hang = step({
      name: 'hang',
      outputs: {},
      timeoutMs: 30,
      run: (_i, _p, ctx) =>
        new Promise((_, reject) => {
          ctx.signal.addEventListener('abort', () => {
            aborted = true;
            reject(ctx.signal.reason);
          });
        }),
    });
    const run = await (
      await pipeline({ name: 'hang', body: () => void hang() }).run({ stack: temp.stack })
    ).wait();
    expect(run.status).toBe('failed');
    expect((await rowsOf(run.id)).hang).toMatchObject({
      status: 'timed_out',
      error: expect.stringMatching(/step timed out after 30 ms/),
    });
    // A step with a timeout runs in a child process on the local orchestrator (so the timeout holds
    // even for code that never yields): its abort happens there, not in this process.
    void aborted;
  });

  it('calls onSuccess and onFailure hooks with the step context', async () => {
    const calls: string[] = [];
    const good = step({
      name: 'good',
      outputs: {},
      cache: false,
      run: () => ({}),
      onSuccess: (ctx) => void calls.push(`success ${ctx.stepName}`),
      onFailure: () => void calls.push('unexpected'),
    });
    const bad = step({
      name: 'bad',
      outputs: {},
      run: () => {
        throw new Error('boom');
      },
      onSuccess: () => void calls.push('unexpected'),
      onFailure: (error, ctx) => void calls.push(`failure ${ctx.stepName}: ${(error as Error).message}`),
    });
    const p = pipeline({
      name: 'hooks',
      body: () => {
        const g = good();
        bad({}, { after: [g] });
      },
    });
    await (await p.run({ stack: temp.stack })).wait();
    expect(calls).toEqual(['success good', 'failure bad: boom']);
  });
});

describe('failure handling', () => {
  const explode = step({
    name: 'explode',
    outputs: { v: t.number() },
    run: () => {
      throw new TypeError('bad data');
    },
  });
  const after = step({ name: 'after_explode', inputs: { v: t.number() }, outputs: {}, run: () => ({}) });
  const slowA = step({
    name: 'slow_a',
    outputs: { v: t.number() },
    cache: false,
    run: async () => {
      await sleep(60);
      return { v: 1 };
    },
  });
  const slowB = step({
    name: 'slow_b',
    inputs: { v: t.number() },
    outputs: {},
    cache: false,
    run: () => ({}),
  });
  const branches = pipeline({
    name: 'branches',
    body: () => {
      const { v } = explode();
      after({ v });
      const a = slowA();
      slowB({ v: a.v });
    },
  });

  it('records the error and stack of a failed step and skips its downstream steps', async () => {
    const run = await (await branches.run({ stack: temp.stack })).wait();
    expect(run.status).toBe('failed');
    expect(run.error).toBe('step "explode" failed: TypeError: bad data');
    const rows = await rowsOf(run.id);
    expect(rows.explode?.error).toBe('TypeError: bad data');
    expect(rows.explode?.errorStack).toMatch(/TypeError: bad data\n\s+at /);
    expect(rows.after_explode).toMatchObject({
      status: 'skipped',
      cacheReason: 'upstream step "explode" did not succeed',
    });
  });

  it('fail-fast (default) stops scheduling independent branches after a failure', async () => {
    const run = await (await branches.run({ stack: temp.stack })).wait();
    const rows = await rowsOf(run.id);
    expect(rows.slow_a?.status).toBe('completed'); // already running when explode failed
    expect(rows.slow_b).toMatchObject({
      status: 'skipped',
      cacheReason: 'run stopped after a failure (fail-fast)',
    });
  });

  it('failFast: false lets independent branches finish', async () => {
    const handle = await branches.run({ stack: temp.stack, failFast: false });
    const run = await handle.wait();
    expect(run.status).toBe('failed');
    const rows = await rowsOf(run.id);
    expect(rows.slow_b?.status).toBe('completed');
    expect(rows.after_explode?.status).toBe('skipped');
  });
});
