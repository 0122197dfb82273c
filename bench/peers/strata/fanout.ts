/**
 * (b) 100-wide fan-out and fan-in in Strata: a source step, `square.map` over its list (100 step
 * instances), and a `total` step that receives the collected outputs. `benchFanoutWide` (run with
 * `--pipeline bench_fanout_wide`) is (b'), the same 1,000 wide, from which the harness takes Strata's
 * marginal cost per step.
 */
import { pipeline, step, t } from '../../../packages/core/dist/index.js';

const square = step({
  name: 'square',
  inputs: { i: t.number() },
  outputs: { y: t.number() },
  run: ({ i }) => ({ y: i * i }),
});

function fanOut(name: string, width: number) {
  const items = step({
    name: 'items',
    outputs: { list: t.json<number[]>() },
    run: () => ({ list: Array.from({ length: width }, (_, i) => i) }),
  });
  const total = step({
    name: 'total',
    inputs: { values: t.json<number[]>() },
    outputs: { sum: t.number() },
    run: ({ values }) => {
      if (values.length !== width) throw new Error(`expected ${width} values, got ${values.length}`);
      return { sum: values.reduce((a, b) => a + b, 0) };
    },
  });
  return pipeline({
    name,
    body: () => {
      const { list } = items();
      const squared = square.map('i', { i: list });
      total({ values: squared.y });
    },
  });
}

export const benchFanout = fanOut('bench_fanout', 100);
export const benchFanoutWide = fanOut('bench_fanout_wide', 1000);
