#!/usr/bin/env bash
# Docker engine on /var/run/docker.sock (+ the offline base image strata-node-base:20).
# Installs docker.io from apt when dockerd is missing, starts dockerd in the background,
# and builds the base image from the host's node binary when it is missing (no registry is
# reachable, so nothing can be pulled).
SERVICE_NAME=docker
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SOCKET=/var/run/docker.sock
BASE_IMAGE="${STRATA_TEST_DOCKER_BASE_IMAGE:-strata-node-base:20}"
export DOCKER_HOST="unix://$SOCKET"

engine_up() {
  [[ -S "$SOCKET" ]] || return 1
  if have curl; then
    [[ "$(curl -s --max-time 3 --unix-socket "$SOCKET" http://localhost/_ping 2>/dev/null)" == OK ]]
  else
    timeout 5 docker version >/dev/null 2>&1
  fi
}

lock_service

if engine_up; then
  log "engine already answers on $SOCKET"
else
  if ! have dockerd; then
    apt_install docker.io
    have dockerd || die "docker.io installed but dockerd is not on PATH"
  fi
  # the package's init script may have started one already
  if ! engine_up; then
    if pid_alive docker; then
      log "dockerd pid $(cat "$(pid_file docker)") is starting; waiting"
      pid=$(cat "$(pid_file docker)")
    else
      # a dockerd left behind by the package's init script (no socket yet) or a stale pid file
      if [[ -s /var/run/docker.pid && "$(cat "/proc/$(cat /var/run/docker.pid)/comm" 2>/dev/null)" == dockerd ]]; then
        pid=$(cat /var/run/docker.pid)
        log "dockerd pid $pid (not ours) is running; waiting for its socket"
      else
        rm -f /var/run/docker.pid
        start_bg docker dockerd --host "unix://$SOCKET"
        pid=$STARTED_PID
      fi
    fi
    start=$SECONDS
    until engine_up; do
      kill -0 "$pid" 2>/dev/null || die "dockerd (pid $pid) exited; see $LOG_DIR/docker.log"
      (( SECONDS - start < 90 )) || die "dockerd did not answer on $SOCKET within 90s"
      sleep 0.5
    done
    log "engine up after $((SECONDS - start))s"
  fi
fi
have docker || die "the docker CLI is not on PATH"

# ---- offline base image -------------------------------------------------------------------------
build_base_image() {
  local node; node=$(command -v node) || die "node not found on the host"
  node=$(readlink -f "$node")
  root=$(mktemp -d /tmp/strata-node-base.XXXXXX)
  trap 'rm -rf "$root"' EXIT
  log "building $BASE_IMAGE from $node ($("$node" --version))"

  copy_with_libs() { # copy binaries and every library ldd lists (plus the loader) at the same paths
    local f lib
    for f in "$@"; do
      cp -L --parents "$f" "$root"/
      while read -r lib; do
        [[ -n "$lib" && -e "$lib" ]] && cp -L --parents -n "$lib" "$root"/
      done < <(ldd "$f" | awk '/=> \//{print $3} /^[ \t]*\/[^ ]+ \(/{print $1}')
    done
  }

  mkdir -p "$root/usr/local/bin" "$root/etc/ssl/certs" "$root/tmp" "$root/root" "$root/bin" "$root/usr/bin"
  chmod 1777 "$root/tmp"
  cp -L "$node" "$root/usr/local/bin/node"
  copy_with_libs "$node"
  # a /bin/sh (so Dockerfile RUN lines work) and /usr/bin/env (for #!/usr/bin/env node scripts)
  copy_with_libs "$(readlink -f /bin/sh)" /usr/bin/env
  [[ -e "$root/bin/sh" ]] || ln -s "$(readlink -f /bin/sh)" "$root/bin/sh"
  # npm, when the host's node has one next to it, so `RUN npm install` works in builds
  local npm_dir; npm_dir="$(dirname "$(dirname "$node")")/lib/node_modules/npm"
  if [[ -f "$npm_dir/bin/npm-cli.js" ]]; then
    mkdir -p "$root/usr/local/lib/node_modules"
    cp -a "$npm_dir" "$root/usr/local/lib/node_modules/npm"
    ln -s ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
    ln -s ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
  fi
  local ca=/etc/ssl/certs/ca-certificates.crt
  [[ -f "$ca" ]] || die "$ca missing on the host"
  cp -L "$ca" "$root/etc/ssl/certs/ca-certificates.crt"
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
  printf '127.0.0.1 localhost\n::1 localhost\n' >"$root/etc/hosts"

  tar -C "$root" -c . | docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
    --change 'ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt' \
    --change 'ENV HOME=/root' \
    --change 'CMD ["node"]' \
    - "$BASE_IMAGE" >>"$LOG_DIR/docker.log" 2>&1 || die "docker import of $BASE_IMAGE failed"

  local v
  v=$(docker run --rm --network none "$BASE_IMAGE" node -e 'console.log(process.version)' 2>>"$LOG_DIR/docker.log") \
    || { docker rmi -f "$BASE_IMAGE" >/dev/null 2>&1; die "a container from $BASE_IMAGE did not run node"; }
  log "$BASE_IMAGE runs node $v"
}

if docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
  log "image $BASE_IMAGE present"
else
  build_base_image
fi

write_env docker \
  "STRATA_TEST_DOCKER_SOCKET=$SOCKET" \
  "STRATA_TEST_DOCKER_BASE_IMAGE=$BASE_IMAGE"
