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
# The build type-checks every package's sources; tsconfig.json checks them again together with every
# spec, example and doc snippet (about 10 s). bench/ stays out: it mixes built and source imports,
# which blew the checker past its heap.
echo "== build + type-check"; pnpm build && pnpm tsc -p tsconfig.json
echo "== tests"
results=.services/vitest-results.json
mkdir -p .services
status=0
pnpm vitest run --reporter=default --reporter=json --outputFile="$results" "$@" || status=$?
echo "test.sh: finished in $(( $(date +%s) - start ))s"
# The closing line, plain for any CI reader: "tests: N passed, N failed, N skipped".
node -e '
  const r = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"));
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
' "$results" || true
exit "$status"
