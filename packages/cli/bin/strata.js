#!/usr/bin/env node
// The `strata` command. Runs the compiled CLI as bundled by `pnpm build` (scripts/bundle-packages.mjs).
import { main } from '../dist/index.bundle.js';

await main(process.argv);
