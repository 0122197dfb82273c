#!/usr/bin/env bash
# Builds the Strata image (server, agent, worker: the entrypoint is `strata`) from this repository: packages/server/deploy/build-image.sh [TAG]
# (default strata-server:dev). Run `pnpm build` first: the image holds the built CLI (dist), never
# sources. Works offline: `pnpm deploy` copies from the local pnpm store, the base image is local,
# and the classic builder (DOCKER_BUILDKIT=0) needs no registry. Unchanged inputs reuse every layer.
set -euo pipefail
tag="${1:-strata-server:dev}"
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
[[ -f "$repo/packages/cli/dist/index.js" ]] || { echo "build-image: run \`pnpm build\` first (packages/cli/dist is missing)" >&2; exit 2; }
context="$(mktemp -d "${TMPDIR:-/tmp}/strata-server-image.XXXXXX")"
trap 'rm -rf "$context" "$context.log"' EXIT
# Injected workspace packages (copies of their published files, dist/), resolved from the lockfile.
# Not --legacy: that mode re-links the workspace itself for production, removing its dev tools.
(cd "$repo" && pnpm --filter @strata/cli deploy --prod --offline --config.inject-workspace-packages=true \
  "$context/app" >/dev/null)
# Files that name the temporary deploy folder (pnpm's state, the .bin shims) differ on every deploy and
# would defeat the cache; the image runs `node /strata/bin/strata.js` and needs none of them.
rm -f "$context/app/node_modules/.modules.yaml" "$context/app/node_modules/.pnpm-workspace-state-v1.json" \
  "$context/app/pnpm-workspace.yaml"
find "$context/app" -type d -name .bin -prune -exec rm -rf {} +
cp "$here/Dockerfile" "$here/tls-proxy.mjs" "$context/"
base="${STRATA_SERVER_BASE_IMAGE:-strata-node-base:20}"
# The classic builder uploads the whole context (~640 MB) before it can find its layers cached, which
# takes minutes on a busy 2-core machine. So the image is also labelled with a digest of exactly what
# goes in (the context's bytes, modes and links, and the base image id): an image with that digest
# is this build already, and tagging it is all that is left.
# The deployed package.json lists dependencies in a different order on each deploy: the CLI's own
# package.json stands for it. tar's status 1 ("file changed as we read it") is not an error here: the
# files are hard links into pnpm's store, whose ctime moves whenever another deploy or install links the
# same file (CI builds two images at once), while their bytes never change.
digest="$( (docker image inspect --format '{{.Id}}' "$base"; cat "$repo/packages/cli/package.json"
  cd "$context" && { tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --warning=no-file-changed \
    --exclude=./app/package.json -c . || [[ $? -eq 1 ]]; }
) | sha256sum | cut -c1-24)"
cached="$(docker images --quiet --filter "label=org.strata.context=$digest" | head -1)"
if [[ -n "$cached" ]]; then
  docker tag "$cached" "$tag"
else
  DOCKER_BUILDKIT=0 docker build --quiet --build-arg "BASE_IMAGE=$base" --label "org.strata.context=$digest" \
    -t "$tag" "$context" >/dev/null 2>"$context.log" || { cat "$context.log" >&2; exit 1; }
fi
echo "$tag"
