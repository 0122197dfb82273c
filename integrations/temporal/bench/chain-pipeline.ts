/** Benchmark pipelines: a chain of no-op steps (per-step overhead) and a wide fan-out (throughput). */
import { pipeline, step, t } from '@strata/core';
import { z } from 'zod';

const start = step({ name: 'start', outputs: { n: t.number() }, cache: false, run: () => ({ n: 0 }) });
const tick = step({
  name: 'tick',
  inputs: { n: t.number() },
  outputs: { n: t.number() },
  cache: false,
  run: ({ n }) => ({ n: n + 1 }),
});

export const chain = pipeline({
  name: 'bench-chain',
  params: z.object({ length: z.number().int().min(1).default(30), round: z.number().int().default(0) }),
  body({ length }) {
    let { n } = start();
    for (let i = 1; i < length; i++) n = tick({ n }).n;
  },
});

const items = step({
  name: 'items',
  outputs: { items: t.json<number[]>() },
  cache: false,
  params: z.object({ count: z.number().int().min(1) }),
  run: (_inputs, { count }) => ({ items: Array.from({ length: count }, (_, i) => i) }),
});
const work = step({
  name: 'work',
  inputs: { item: t.json<number>() },
  outputs: { out: t.json<number>() },
  cache: false,
  run: ({ item }) => ({ out: item + 1 }),
});

export const wide = pipeline({
  name: 'bench-wide',
  params: z.object({ count: z.number().int().min(1).default(600), round: z.number().int().default(0) }),
  body({ count }) {
    const { items: list } = items({}, { params: { count } });
    work.map('item', { item: list });
  },
});
