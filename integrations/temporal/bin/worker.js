#!/usr/bin/env node
// `strata-temporal-worker`: a Temporal worker for the project in the current directory (`pnpm build` first).
import '../dist/worker-main.js';
