import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../artifact-type/artifact-type.js';
import type { StepRunRecord } from '../metadata/records.js';
import { pipeline } from '../pipeline/pipeline.js';
import { step } from '../step/step.js';
import { createMemoryStack, type MemoryStack } from '../testing/index.js';
import { resumeRun } from './run-pipeline.js';

// Resuming a run whose process was killed (a child process on a real store) is
// integrations/local's resume-after-kill.spec.ts.
let temp: MemoryStack;
beforeAll(async () => {
  temp = await createMemoryStack();
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

  it('a --no-cache run resumes with no cache: only its own finished steps are reused', async () => {
    // Every step has a completed run in the cache by now (the test above).
    broken = true;
    const failed = await (await resumable.run({ stack: temp.stack, failFast: false, noCache: true })).wait();
    expect(failed.status).toBe('failed');
    broken = false;
    executed.length = 0;
    const resumed = await (await resumeRun(failed.id, resumable, { stack: temp.stack })).wait();
    expect(resumed.status).toBe('completed');
    expect(resumed.environment).toMatchObject({ noCache: true });
    // transform and report are in the cache from the run above, but this run asked for none.
    expect(executed.sort()).toEqual(['report', 'transform']);
    expect((await rowsOf(resumed.id)).transform?.cacheReason).toBe(
      'miss: caching disabled for this run (--no-cache)',
    );
  });

  it('resumes a mapped step: its finished instances are reused, the failed one runs again, the list keeps its order', async () => {
    let failing = true;
    const ran: number[] = [];
    const numbers = step({
      name: 'numbers',
      outputs: { items: t.json<number[]>() },
      run: () => ({ items: [1, 2, 3, 4] }),
    });
    const triple = step({
      name: 'triple',
      inputs: { n: t.number() },
      outputs: { y: t.number() },
      run: ({ n }) => {
        ran.push(n);
        if (failing && n === 3) throw new Error('three is broken');
        return { y: 3 * n };
      },
    });
    const total = step({
      name: 'total',
      inputs: { ys: t.json<number[]>() },
      outputs: { sum: t.number() },
      run: ({ ys }) => ({ sum: ys.reduce((a, b) => a + b, 0) }),
    });
    const mapped = pipeline({
      name: 'resumable-map',
      body: () => {
        const { items } = numbers();
        const { y } = triple.map('n', { n: items });
        total({ ys: y });
      },
    });
    const failed = await (await mapped.run({ stack: temp.stack, noCache: true })).wait();
    expect(failed.status).toBe('failed');
    const parent = await temp.stack.database.getStepRun(`${failed.id}/triple`);
    expect(parent?.error).toMatch(/^instance 2 of 4 ended failed: .*three is broken/);

    failing = false;
    ran.length = 0;
    const handle = await resumeRun(failed.id, mapped, { stack: temp.stack });
    expect((await handle.wait()).status).toBe('completed');
    expect(ran).toEqual([3]);
    const instances = (await temp.stack.database.listStepRuns(handle.id)).filter((r) => r.mapIndex >= 0);
    expect(instances.map((r) => `${r.mapIndex}:${r.status}`).sort()).toEqual([
      '0:cached',
      '1:cached',
      '2:completed',
      '3:cached',
    ]);
    expect(await handle.output('triple', 'y')).toEqual([3, 6, 9, 12]);
    expect(await handle.output('total', 'sum')).toBe(30);
  });

  it('refuses to resume a completed run or an unknown one', async () => {
    const done = await (await resumable.run({ stack: temp.stack })).wait();
    await expect(resumeRun(done.id, resumable, { stack: temp.stack })).rejects.toThrow(/already completed/);
    await expect(resumeRun('r-nope', resumable, { stack: temp.stack })).rejects.toThrow(/does not exist/);
  });
});
