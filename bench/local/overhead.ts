/**
 * Per-step overhead of the local orchestrator (in-process, SQLite file, local artifact store): a
 * 1,000-step chain, a 1,000-wide `map`, and 1,000 independent nodes of trivial steps with small JSON
 * outputs, against calling the same functions directly, after a 2-step warm-up run that loads the modules.
 */
import { pipeline, step, t } from '../../packages/core/src/index.js';
import { chainOf, inc, start } from './chain.js';
import {
  countSqlStatements,
  createTemporaryStack,
  fmt,
  machine,
  runOnce,
  sqlStatementCount,
  table,
  timed,
  z,
} from './support.js';

const N = Number(process.env.BENCH_STEPS ?? 1000);

const items = step({
  name: 'items',
  outputs: { list: t.json<number[]>() },
  run: () => ({ list: Array.from({ length: N }, (_, i) => i) }),
});
const square = step({
  name: 'square',
  inputs: { i: t.number() },
  outputs: { y: t.json<{ i: number; sq: number }>() },
  run: ({ i }) => ({ y: { i, sq: i * i } }),
});
const leaf = step({
  name: 'leaf',
  outputs: { y: t.json<{ k: number }>() },
  params: z.object({ k: z.number() }),
  run: (_i, { k }) => ({ y: { k } }),
});

const chain = chainOf('bench-chain', N);
const fanOut = pipeline({
  name: 'bench-map',
  body: () => {
    const { list } = items();
    square.map('i', { i: list });
  },
});
const independent = pipeline({
  name: 'bench-independent',
  body: () => {
    for (let k = 0; k < N; k++) leaf({}, { id: `leaf_${k}`, params: { k } });
  },
});

const warmUp = pipeline({
  name: 'bench-warm-up',
  body: () => {
    const { x } = start();
    inc({ x });
  },
});

function plainChain() {
  let x = { n: 0 };
  for (let i = 1; i < N; i++)
    x = (inc.spec.run as (i: { x: { n: number } }) => { x: { n: number } })({ x }).x;
  return x;
}
function plainMap() {
  return Array.from({ length: N }, (_, i) => (square.spec.run as (i: { i: number }) => unknown)({ i }));
}

export async function run(): Promise<void> {
  await countSqlStatements();
  // The first run in a process loads the stack's modules (one-time start-up, measured in the CLI
  // section): a 2-step run on a throw-away stack keeps it out of the per-step figures.
  const warm = await createTemporaryStack({ concurrency: 4 });
  try {
    const first = await runOnce(warmUp, warm.stack);
    console.log(`warm-up run (2 steps, loads the modules): ${fmt(first.totalMs, 0)} ms`);
  } finally {
    await warm.cleanup();
  }
  const rows: (string | number)[][] = [];
  for (const [label, definition, plain, concurrency] of [
    [`chain of ${N}`, chain, plainChain, 4],
    [`map over ${N}`, fanOut, plainMap, 4],
    [`${N} independent nodes`, independent, plainMap, 4],
  ] as const) {
    const temp = await createTemporaryStack({ concurrency });
    try {
      const base = await timed<unknown>(plain);
      const before = sqlStatementCount();
      const result = await runOnce(definition, temp.stack);
      const statements = sqlStatementCount() - before;
      rows.push([
        label,
        concurrency,
        fmt(result.compileMs, 0),
        fmt(result.runMs, 0),
        fmt(result.totalMs / N, 3),
        fmt(result.cpuMs / N, 3),
        fmt(base.ms / N, 4),
        fmt((result.totalMs - base.ms) / N, 3),
        fmt(statements / N, 2),
      ]);
    } finally {
      await temp.cleanup();
    }
  }
  console.log(`\nPer-step overhead, ${N} trivial steps with small JSON outputs (target <= 2 ms/step)`);
  console.log(`machine: ${machine()}\n`);
  table(
    [
      'workload',
      'concurrency',
      'compile ms',
      'submit+run ms',
      'Strata ms/step (wall)',
      'Strata CPU ms/step',
      'plain call ms/step',
      'overhead ms/step (wall)',
      'SQL statements/step',
    ],
    rows,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
