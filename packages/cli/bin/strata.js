#!/usr/bin/env node
// The `strata` command. Runs the compiled CLI as bundled by `pnpm build` (scripts/bundle-packages.mjs),
// with V8's compiled code for the bundles kept between runs (src/start/compile-cache.ts).
import { setFlagsFromString } from 'node:v8';
import { installCompileCache } from '../dist/start/compile-cache.js';

// V8 optimizes a function once it has run a budget of bytecode. A `strata run` is a short process
// whose per-step code (the runner, the metadata store, zod, kysely) runs a few hundred to a few thousand
// times: at V8's default budget most of it is optimized on background threads whose CPU the run never
// earns back (a 500-step chain spent about half its per-step CPU so). Sixteen times the budget leaves
// that code in V8's baseline tiers, while a step's hot loops (training, parsing) still reach the
// optimizing compiler within milliseconds (the penguins pipeline at 300,000 rows: same CPU). Set before
// anything is compiled, so the code cache below is made and read under the same flags. A budget given
// on the command line (node --interrupt-budget=N …/strata.js) is kept. See docs/benchmarks.md.
if (!process.execArgv.some((a) => a.startsWith('--interrupt-budget'))) {
  setFlagsFromString('--interrupt-budget=1081344');
}
installCompileCache();
const { main } = await import('../dist/index.bundle.js');
await main(process.argv);
