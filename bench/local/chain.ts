/** The trivial chain the local benches run: `start`, then `inc` n - 1 times, each passing `{ n }` on. */
import { pipeline, step, t } from '../../packages/core/src/index.js';

export const start = step({
  name: 'start',
  outputs: { x: t.json<{ n: number }>() },
  run: () => ({ x: { n: 0 } }),
});
export const inc = step({
  name: 'inc',
  inputs: { x: t.json<{ n: number }>() },
  outputs: { x: t.json<{ n: number }>() },
  run: ({ x }) => ({ x: { n: x.n + 1 } }),
});

export function chainOf(name: string, length: number) {
  return pipeline({
    name,
    body: () => {
      let { x } = start();
      for (let i = 1; i < length; i++) x = inc({ x }, { id: `inc_${i}` }).x;
    },
  });
}
