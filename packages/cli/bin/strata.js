#!/usr/bin/env node
// The `strata` command. Runs the compiled CLI as bundled by `pnpm build` (scripts/bundle-packages.mjs),
// with V8's compiled code for the bundles kept between runs (src/start/compile-cache.ts).
import { installCompileCache } from '../dist/start/compile-cache.js';

installCompileCache();
const { main } = await import('../dist/index.bundle.js');
await main(process.argv);
