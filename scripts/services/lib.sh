# shellcheck shell=bash
# Shared helpers for scripts/services/*.sh. Source it, do not execute it.
#
# Layout:
#   $STRATA_SERVICES_HOME (default /opt/strata-services)  slow installs, shared by every clone
#                                                          on the machine (venvs, npm prefixes, binaries)
#   <repo>/.services/                                      per-clone runtime state (gitignored)
#       env            sourceable `export X=...` lines, one block per service
#       logs/<name>.log
#       run/<name>.pid (+ <name>.lock)
#       <name>-data/   data dirs

set -euo pipefail

SERVICES_SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SERVICES_SCRIPT_DIR/../.." && pwd)"
SERVICES_DIR="${STRATA_SERVICES_DIR:-$REPO_ROOT/.services}"
LOG_DIR="$SERVICES_DIR/logs"
RUN_DIR="$SERVICES_DIR/run"
ENV_FILE="$SERVICES_DIR/env"
STRATA_SERVICES_HOME="${STRATA_SERVICES_HOME:-/opt/strata-services}"

export DEBIAN_FRONTEND=noninteractive
export PIP_NO_INPUT=1 PIP_DISABLE_PIP_VERSION_CHECK=1
export npm_config_yes=true npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false

mkdir -p "$LOG_DIR" "$RUN_DIR" "$STRATA_SERVICES_HOME"

SERVICE_NAME="${SERVICE_NAME:-$(basename "${0%.sh}")}"

log() { printf '[%s %s] %s\n' "$(date +%H:%M:%S)" "$SERVICE_NAME" "$*" >&2; }

# die MESSAGE...: print a loud error (plus the tail of the service log if any) and exit 1.
die() {
  printf '\n[%s] ERROR: %s\n' "$SERVICE_NAME" "$*" >&2
  local lf="$LOG_DIR/$SERVICE_NAME.log"
  if [[ -s "$lf" ]]; then
    printf '[%s] last lines of %s:\n' "$SERVICE_NAME" "$lf" >&2
    tail -n 25 "$lf" | sed 's/^/    /' >&2
  fi
  exit 1
}

have() { command -v "$1" >/dev/null 2>&1; }

# port_open HOST PORT: true when something accepts TCP connections there.
port_open() {
  timeout 2 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" >/dev/null 2>&1
}

# reclaim_orphan PORT: stop the server listening on PORT when the clone that started it was
# deleted (its working directory or data files are gone). Such a server still answers, so it would
# be reused, but its files are unlinked: Temporal's dev server then left workflows hanging. The
# caller starts a fresh one in this clone.
reclaim_orphan() {
  local port=$1 pid start=$SECONDS
  pid=$(ss -ltnpH "sport = :$port" 2>/dev/null | grep -o 'pid=[0-9]*' | head -n1 | cut -d= -f2) || true
  [[ -n "$pid" ]] || return 0
  if [[ "$(readlink "/proc/$pid/cwd" 2>/dev/null)" != *' (deleted)' ]] \
    && ! ls -l "/proc/$pid/fd" 2>/dev/null | grep -q -- '-data/.* (deleted)$'; then
    return 0
  fi
  log "the server on port $port (pid $pid) belongs to a deleted clone: stopping it"
  kill "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null && (( SECONDS - start < 20 )); do sleep 0.2; done
  kill -9 "$pid" 2>/dev/null || true
  while port_open 127.0.0.1 "$port" && (( SECONDS - start < 30 )); do sleep 0.2; done
}

# wait_port HOST PORT TIMEOUT_SECONDS [PID]: wait until the port accepts connections;
# fail early if PID (the server we just started) exits.
wait_port() {
  local host=$1 port=$2 timeout=$3 pid=${4:-} start=$SECONDS
  until port_open "$host" "$port"; do
    if [[ -n "$pid" ]] && ! kill -0 "$pid" 2>/dev/null; then
      die "$SERVICE_NAME (pid $pid) exited before $host:$port opened; see $LOG_DIR/$SERVICE_NAME.log"
    fi
    if (( SECONDS - start >= timeout )); then
      die "timed out after ${timeout}s waiting for $host:$port; see $LOG_DIR/$SERVICE_NAME.log"
    fi
    sleep 0.3
  done
}

# retry_until TIMEOUT_SECONDS CMD...: run CMD until it succeeds or the timeout passes.
retry_until() {
  local timeout=$1 start=$SECONDS; shift
  until "$@" >/dev/null 2>&1; do
    (( SECONDS - start >= timeout )) && return 1
    sleep 0.5
  done
}

pid_file() { echo "$RUN_DIR/$1.pid"; }

# pid_alive NAME: true when the pid file of NAME names a live process.
pid_alive() {
  local f; f=$(pid_file "$1")
  [[ -s "$f" ]] && kill -0 "$(cat "$f")" 2>/dev/null
}

# lock_service: serialize concurrent runs of the same service script in this clone (fd 8).
lock_service() {
  exec 8>"$RUN_DIR/$SERVICE_NAME.lock"
  flock -w 900 8 || die "could not take $RUN_DIR/$SERVICE_NAME.lock within 900s"
}

# lock_install NAME: serialize installs into $STRATA_SERVICES_HOME across clones (fd 7).
lock_install() {
  exec 7>"$STRATA_SERVICES_HOME/.$1.install.lock"
  flock -w 1800 7 || die "could not take the install lock for $1 within 1800s"
}
unlock_install() { exec 7>&-; }

# nolocks CMD...: run CMD with the lock fds (5-9) closed, so that a daemon it may spawn
# (pg_ctlcluster, a package's postinst) never holds our flocks.
nolocks() { "$@" 5>&- 6>&- 7>&- 8>&- 9>&-; }

# start_bg NAME CMD...: start CMD detached (own session, survives this script), stdout+stderr
# appended to .services/logs/NAME.log, pid written to .services/run/NAME.pid. Sets STARTED_PID.
start_bg() {
  local name=$1; shift
  local lf="$LOG_DIR/$name.log"
  printf '\n==== %s starting: %s\n' "$(date -Is)" "$*" >>"$lf"
  # close the lock fds so the daemon does not keep them held
  setsid nohup "$@" </dev/null >>"$lf" 2>&1 5>&- 6>&- 7>&- 8>&- 9>&- &
  STARTED_PID=$!
  echo "$STARTED_PID" >"$(pid_file "$name")"
  log "started pid $STARTED_PID (log: $lf)"
}

# ---- apt -------------------------------------------------------------------------------------
APT_OPTS=(-y -q -o DPkg::Lock::Timeout=600 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)

_apt_candidate_known() {
  local p
  for p in "$@"; do
    apt-cache policy "$p" 2>/dev/null | grep 'Candidate: [^(]' >/dev/null || return 1
  done
}

# apt_install PKG...: install the packages that are missing. Runs `apt-get update` only when the
# package lists do not know a candidate, or when an install from stale lists fails.
apt_install() {
  local missing=() p
  for p in "$@"; do
    [[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" == 'install ok installed' ]] || missing+=("$p")
  done
  (( ${#missing[@]} )) || return 0
  have apt-get || die "apt-get not found: cannot install ${missing[*]}"
  exec 6>/var/lock/strata-services-apt.lock
  flock -w 1800 6 || die "could not take the apt lock"
  log "apt-get install ${missing[*]}"
  if ! _apt_candidate_known "${missing[@]}"; then
    nolocks apt-get update -q >>"$LOG_DIR/apt.log" 2>&1 || die "apt-get update failed; see $LOG_DIR/apt.log"
  fi
  if ! nolocks apt-get install "${APT_OPTS[@]}" --no-install-recommends "${missing[@]}" >>"$LOG_DIR/apt.log" 2>&1; then
    log "install failed, refreshing package lists and retrying"
    nolocks apt-get update -q >>"$LOG_DIR/apt.log" 2>&1 || die "apt-get update failed; see $LOG_DIR/apt.log"
    nolocks apt-get install "${APT_OPTS[@]}" --no-install-recommends "${missing[@]}" >>"$LOG_DIR/apt.log" 2>&1 \
      || die "apt-get install ${missing[*]} failed; see $LOG_DIR/apt.log"
  fi
  exec 6>&-
}

# ---- python venvs ------------------------------------------------------------------------------
# ensure_venv DIR MARKER_CMD PIP_ARGS...: create a venv in DIR and pip install PIP_ARGS unless
# `DIR/bin/MARKER_CMD` already exists. Serialized across clones. Returns 1 (after logging) when
# the install fails, so the caller can fall back or die.
ensure_venv() {
  local dir=$1 marker=$2; shift 2
  [[ -x "$dir/bin/$marker" ]] && return 0
  lock_install "$(basename "$dir")"
  if [[ ! -x "$dir/bin/$marker" ]]; then
    local py; py=$(command -v python3) || die "python3 not found"
    log "creating venv $dir and installing: $*"
    rm -rf "$dir"
    "$py" -m venv "$dir" >>"$LOG_DIR/$SERVICE_NAME.log" 2>&1 \
      || { unlock_install; log "python3 -m venv $dir failed"; return 1; }
    if ! "$dir/bin/pip" install --no-input -q "$@" >>"$LOG_DIR/$SERVICE_NAME.log" 2>&1 \
      || [[ ! -x "$dir/bin/$marker" ]]; then
      log "pip install $* failed or did not provide bin/$marker; see $LOG_DIR/$SERVICE_NAME.log"
      rm -rf "$dir"
      unlock_install
      return 1
    fi
  fi
  unlock_install
}

# ---- env file ----------------------------------------------------------------------------------
# write_env NAME 'X=value' ...: replace NAME's block in .services/env (atomically, under a lock)
# and print the exports to stdout.
write_env() {
  local name=$1; shift
  local block kv v
  block="# >>> $name"$'\n'
  for kv in "$@"; do
    v=${kv#*=}
    block+="export ${kv%%=*}='${v//\'/\'\\\'\'}'"$'\n'
  done
  block+="# <<< $name"
  (
    flock -w 60 5 || exit 1
    local tmp; tmp=$(mktemp "$ENV_FILE.XXXXXX")
    if [[ -f "$ENV_FILE" ]]; then
      awk -v s="# >>> $name" -v e="# <<< $name" '
        $0 == s {skip=1; next}
        $0 == e {skip=0; next}
        !skip' "$ENV_FILE" >"$tmp"
    fi
    printf '%s\n' "$block" >>"$tmp"
    chmod 644 "$tmp"
    mv -f "$tmp" "$ENV_FILE"
  ) 5>"$ENV_FILE.lock" || die "could not update $ENV_FILE"
  printf '%s\n' "$block" | grep '^export '
}
