/**
 * (b) 100-wide fan-out and fan-in in Strata: a source step, `square.map` over its list (100 step
 * instances), and a `total` step that receives the collected outputs.
 */
import { pipeline, step, t } from '../../../packages/core/dist/index.js';

const WIDTH = 100;

const items = step({
  name: 'items',
  outputs: { list: t.json<number[]>() },
  run: () => ({ list: Array.from({ length: WIDTH }, (_, i) => i) }),
});
const square = step({
  name: 'square',
  inputs: { i: t.number() },
  outputs: { y: t.number() },
  run: ({ i }) => ({ y: i * i }),
});
const total = step({
  name: 'total',
  inputs: { values: t.json<number[]>() },
  outputs: { sum: t.number() },
  run: ({ values }) => {
    if (values.length !== WIDTH) throw new Error(`expected ${WIDTH} values, got ${values.length}`);
    return { sum: values.reduce((a, b) => a + b, 0) };
  },
});

export const benchFanout = pipeline({
  name: 'bench_fanout',
  body: () => {
    const { list } = items();
    const squared = square.map('i', { i: list });
    total({ values: squared.y });
  },
});
