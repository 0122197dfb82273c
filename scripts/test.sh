#!/usr/bin/env bash
# Command 2 of 2: install everything, start the real services the integration tests use, then lint,
# type-check, build and run the whole test suite. `.ci/run` calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
bash scripts/bootstrap.sh
if [ -x scripts/services/all.sh ] || [ -f scripts/services/all.sh ]; then
  bash scripts/services/all.sh
  # shellcheck disable=SC1091
  source .services/env
fi
echo "== lint"; pnpm lint
# The build type-checks every package; tsconfig.json adds the examples and docs (which hold the
# tested snippets and specs) against package sources.
echo "== build + type-check"; pnpm build && pnpm tsc -p tsconfig.json
echo "== tests"; pnpm vitest run "$@"
echo "test.sh: done in $(( $(date +%s) - start ))s"
