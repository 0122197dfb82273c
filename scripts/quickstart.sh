#!/usr/bin/env bash
# Command 1 of 2: install everything and run the quickstart pipeline on the embedded default stack
# (SQLite metadata, local artifact store, local orchestrator, all under examples/quickstart/.strata).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
pnpm build
cd examples/quickstart
node ../../packages/cli/bin/strata.js run pipeline.ts "$@"
