import { pipeline, step, t, z } from '@strata/core';

const load = step({
  name: 'load',
  outputs: { rows: t.json<number[]>() },
  run: () => ({ rows: [1, 2, 3] }),
});

const scale = step({
  name: 'scale',
  inputs: { rows: t.json<number[]>() },
  outputs: { scaled: t.json<number[]>() },
  params: z.object({ factor: z.number().default(2) }),
  run: ({ rows }, { factor }, ctx) => {
    ctx.logger.info(`scaling ${rows.length} rows`);
    return { scaled: rows.map((r) => r * factor) };
  },
});

export const demo = pipeline({
  name: 'demo',
  body: () => {
    const { rows } = load();
    scale({ rows }, { params: { factor: 10 } });
  },
});
