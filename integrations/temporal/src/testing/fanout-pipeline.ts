/** A wide fan-out for the Temporal tests: `count` items, one mapped instance each, then a sum. */
import { pipeline, step, t } from '@strata/core';
import { z } from 'zod';

export const numbers = step({
  name: 'numbers',
  outputs: { items: t.json<number[]>() },
  params: z.object({ count: z.number().int().min(1) }),
  run: (_inputs, { count }) => ({ items: Array.from({ length: count }, (_, i) => i) }),
});

export const square = step({
  name: 'square',
  inputs: { item: t.json<number>() },
  outputs: { value: t.json<number>() },
  run: ({ item }) => ({ value: item * item }),
});

export const total = step({
  name: 'total',
  inputs: { values: t.json<number[]>() },
  outputs: { sum: t.number() },
  run: ({ values }) => ({ sum: values.reduce((a, b) => a + b, 0) }),
});

export const fanout = pipeline({
  name: 'fanout',
  params: z.object({ count: z.number().int().min(1).default(5000) }),
  body({ count }) {
    const { items } = numbers({}, { params: { count } });
    const squares = square.map('item', { item: items });
    total({ values: squares.value });
  },
});
