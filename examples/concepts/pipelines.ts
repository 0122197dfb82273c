// docs/concepts.md#pipelines: wiring, parameters, run names, fan-out/fan-in, conditions, `after`.
import { pipeline, step, t, when } from '@strata/core';
import { z } from 'zod';

const shards = step({
  name: 'shards',
  outputs: { ids: t.json<number[]>() },
  params: z.object({ count: z.number().int().min(1) }),
  run: (_inputs, { count }) => ({ ids: Array.from({ length: count }, (_, i) => i) }),
});

const score = step({
  name: 'score',
  inputs: { id: t.number() },
  outputs: { value: t.number() },
  run: ({ id }) => ({ value: (id * 37) % 10 }),
});

const best = step({
  name: 'best',
  inputs: { values: t.json<number[]>() },
  outputs: { value: t.number() },
  run: ({ values }) => ({ value: Math.max(...values) }),
});

const publish = step({
  name: 'publish',
  inputs: { value: t.number() },
  outputs: { message: t.string() },
  run: ({ value }) => ({ message: `published ${value}` }),
});

const cleanup = step({ name: 'cleanup', outputs: {}, run: () => ({}) });

export const tournament = pipeline({
  name: 'tournament',
  params: z.object({ shards: z.number().int().min(1).default(5), threshold: z.number().default(5) }),
  runName: '{pipeline}-{params.shards}-shards-{id}',
  body: ({ shards: count, threshold }) => {
    const { ids } = shards({}, { params: { count } });
    // Fan-out: one `score` instance per element, at most 2 at once; `value` is the collected list.
    const { value: values } = score.map('id', { id: ids }, { concurrency: 2 });
    // Fan-in: a plain step receives the list.
    const top = best({ values });
    // A conditional branch: runs only if the predicate holds for the produced value.
    when(
      top.value,
      (v) => v >= threshold,
      () => void publish({ value: top.value }),
    );
    // Ordering without data: `cleanup` waits for `best`.
    cleanup({}, { after: [top] });
  },
});
