#!/usr/bin/env bash
# Installs what the workspace needs on a fresh machine (idempotent, fast when already done):
# pnpm at the pinned version, then the workspace dependencies from the lockfile.
set -euo pipefail
cd "$(dirname "$0")/.."
PNPM_VERSION=12.4.2
if ! command -v pnpm >/dev/null || [ "$(pnpm --version)" != "$PNPM_VERSION" ]; then
  echo "bootstrap: installing pnpm@$PNPM_VERSION"
  npm install -g "pnpm@$PNPM_VERSION" --no-fund --no-audit >/dev/null
fi
# better-sqlite3 compiles from source here; point node-gyp at the local Node headers (no download).
export npm_config_nodedir="${npm_config_nodedir:-$(dirname "$(dirname "$(command -v node)")")}"
pnpm install --frozen-lockfile --reporter=append-only | tail -3
