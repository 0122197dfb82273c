/**
 * The example of docs/temporal.md: a pipeline, a worker, a run that outlives its client, a schedule.
 * Tested by nightly.int.spec.ts against the Temporal dev server.
 */
import { pipeline, step, t } from '@strata/core';
import { openStack } from '@strata/project';
import { createSchedule, deleteSchedule, listSchedules, runProgress, startWorker } from '@strata/temporal';
import { z } from 'zod';

const readings = step({
  name: 'readings',
  outputs: { values: t.json<number[]>() },
  params: z.object({ count: z.number().int().min(1) }),
  run: (_inputs, { count }) => ({ values: Array.from({ length: count }, (_, i) => i % 7) }),
});

const score = step({
  name: 'score',
  inputs: { value: t.json<number>() },
  outputs: { score: t.json<number>() },
  retry: { attempts: 3, delayMs: 1000 }, // becomes the activity's retry policy (at least 3 attempts)
  timeoutMs: 60_000, // becomes its start-to-close timeout
  run: ({ value }) => ({ score: value * value }),
});

const summary = step({
  name: 'summary',
  inputs: { scores: t.json<number[]>() },
  outputs: { total: t.number() },
  run: ({ scores }) => ({ total: scores.reduce((a, b) => a + b, 0) }),
});

export const nightly = pipeline({
  name: 'nightly',
  params: z.object({ count: z.number().int().min(1).default(200) }),
  body({ count }) {
    const { values } = readings({}, { params: { count } });
    const scored = score.map('value', { value: values }); // 200 instances, run in batches of 50
    summary({ scores: scored.score });
  },
});

/** In production the worker is its own process (`strata worker --stack temporal`). */
export async function runNightlyOnTemporal(projectRoot: string) {
  const worker = await startWorker({ stack: 'temporal', cwd: projectRoot, concurrency: 4 });
  const polling = worker.run();
  const stack = await openStack({ stack: 'temporal', cwd: projectRoot });
  try {
    const handle = await nightly.run({ stack, params: { count: 200 } });
    const run = await handle.wait();
    const progress = await runProgress(stack, handle.id); // step counts; also live while it runs
    const total = await handle.output<number>('summary', 'total');

    const schedule = await createSchedule({
      module: new URL(import.meta.url).pathname,
      cron: '0 3 * * *',
      stack,
    });
    const scheduled = await listSchedules(stack);
    await deleteSchedule(stack, schedule.id);
    return {
      status: run.status,
      total,
      progress,
      scheduled: scheduled.map((s) => `${s.id} ${s.cron.join(' ')}`),
    };
  } finally {
    await stack.close();
    worker.shutdown();
    await polling;
  }
}
