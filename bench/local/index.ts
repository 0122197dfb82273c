/**
 * `pnpm bench local [-- overhead|cached|big-artifact]`: the local orchestrator's overhead, a fully
 * cached re-run and a 1 GiB artifact. Results and the machine they ran on: docs/benchmarks.md#local.
 */
const parts = {
  overhead: () => import('./overhead.js'),
  cached: () => import('./cached-rerun.js'),
  'big-artifact': () => import('./big-artifact.js'),
} as const;

const wanted = process.argv.slice(2).filter((a) => a in parts) as (keyof typeof parts)[];
for (const name of wanted.length > 0 ? wanted : (Object.keys(parts) as (keyof typeof parts)[])) {
  await (await parts[name]()).run();
}
