#!/usr/bin/env node
// The `strata` command. Runs the compiled CLI; `pnpm build` produces it.
import { main } from '../dist/main.js';

await main(process.argv);
