/**
 * (a)/(c) A chain of 10 trivial steps in Strata: each adds one. Run by the harness through the built
 * CLI (`strata run bench/peers/strata/chain.ts`) in a throw-away project; the second run is fully cached.
 * Imports the built SDK (the same module the CLI loads), so this file needs `pnpm build` first.
 */
import { pipeline, step, t } from '../../../packages/core/dist/index.js';

const STEPS = 10;

const start = step({ name: 'start', outputs: { x: t.number() }, run: () => ({ x: 0 }) });
const inc = step({
  name: 'inc',
  inputs: { x: t.number() },
  outputs: { x: t.number() },
  run: ({ x }) => ({ x: x + 1 }),
});

export const benchChain = pipeline({
  name: 'bench_chain',
  body: () => {
    let { x } = start();
    for (let i = 1; i < STEPS; i++) x = inc({ x }, { id: `inc_${i}` }).x;
  },
});
