#!/usr/bin/env bash
# S3-compatible server on 127.0.0.1:9000.
#
# Server: Versity S3 Gateway (versitygw, Apache-2.0) with its posix backend: real SigV4
# authentication (wrong keys are refused), multipart uploads, checksums, presigned URLs, objects
# stored as files under .services/s3-data/<bucket>/<key>. Built once with `go install` (about 1 min
# on 2 cores with a cold Go cache) into $STRATA_SERVICES_HOME, shared by every clone.
# Not MinIO: its cold build took 220 s here, and it is AGPL-3.0 (this workplace's package lists
# mark AGPL modules "not to use").
# Fallback when Go or the build fails (or STRATA_S3_SERVER=moto): moto's server from PyPI, which
# accepts any credentials and keeps objects in memory.
SERVICE_NAME=s3
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

HOST=127.0.0.1
PORT="${STRATA_S3_PORT:-9000}"
ENDPOINT="http://$HOST:$PORT"
ACCESS_KEY=strata
SECRET_KEY=strata-secret-key
REGION=us-east-1
VERSITYGW_VERSION=v1.8.0
MOTO_VERSION=5.2.1
SERVER="${STRATA_S3_SERVER:-versitygw}"
VGW_BIN="$STRATA_SERVICES_HOME/versitygw/$VERSITYGW_VERSION/versitygw"
MOTO_VENV="$STRATA_SERVICES_HOME/moto-venv"
DATA_DIR="$SERVICES_DIR/s3-data"

install_versitygw() {
  [[ -x "$VGW_BIN" ]] && return 0
  have go || { log "go not found"; return 1; }
  lock_install versitygw
  if [[ ! -x "$VGW_BIN" ]]; then
    log "go install github.com/versity/versitygw/cmd/versitygw@$VERSITYGW_VERSION"
    mkdir -p "$(dirname "$VGW_BIN")"
    if ! GOBIN="$(dirname "$VGW_BIN")" GOTOOLCHAIN="${GOTOOLCHAIN:-auto}" \
      go install "github.com/versity/versitygw/cmd/versitygw@$VERSITYGW_VERSION" >>"$LOG_DIR/s3.log" 2>&1; then
      unlock_install
      log "go install of versitygw failed; see $LOG_DIR/s3.log"
      return 1
    fi
  fi
  unlock_install
}

# verify: bucket create, put, get, delete with SigV4-signed curl requests (nothing is left behind).
verify() {
  local b="strata-services-probe-$$" body got sig=(--aws-sigv4 "aws:amz:$REGION:s3" --user "$ACCESS_KEY:$SECRET_KEY")
  body="probe $(date +%s%N)"
  s3curl() { curl -sS --fail-with-body --max-time 10 "${sig[@]}" -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" "$@"; }
  s3curl -X PUT "$ENDPOINT/$b" >/dev/null || die "S3 create bucket failed"
  s3curl -X PUT -H "Content-Type: text/plain" --data-binary "$body" "$ENDPOINT/$b/dir/probe.txt" >/dev/null || die "S3 put object failed"
  got=$(s3curl "$ENDPOINT/$b/dir/probe.txt") || die "S3 get object failed"
  [[ "$got" == "$body" ]] || die "S3 get returned '$got', expected '$body'"
  s3curl -X DELETE "$ENDPOINT/$b/dir/probe.txt" >/dev/null || die "S3 delete object failed"
  s3curl -X DELETE "$ENDPOINT/$b" >/dev/null || die "S3 delete bucket failed"
  if [[ "$SERVER" == versitygw ]]; then # a wrong secret must be refused
    if curl -s --fail --max-time 10 --aws-sigv4 "aws:amz:$REGION:s3" --user "$ACCESS_KEY:wrong" \
      -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" "$ENDPOINT/" >/dev/null; then
      die "S3 server accepted a wrong secret key"
    fi
  fi
  log "verified put/get/delete on $ENDPOINT ($SERVER)"
}

lock_service

reclaim_orphan "$PORT"
if port_open "$HOST" "$PORT"; then
  log "something already answers on $HOST:$PORT"
  [[ -s "$RUN_DIR/s3.server" ]] && SERVER=$(cat "$RUN_DIR/s3.server")
  if [[ "${STRATA_SERVICES_VERIFY:-0}" == 1 ]]; then verify; fi
else
  if pid_alive s3; then
    pid=$(cat "$(pid_file s3)")
    log "s3 pid $pid is starting; waiting"
  else
    if [[ "$SERVER" == versitygw ]] && ! install_versitygw; then
      log "falling back to moto"
      SERVER=moto
    fi
    if [[ "$SERVER" == moto ]]; then
      ensure_venv "$MOTO_VENV" moto_server "moto[server]==$MOTO_VERSION" || die "installing moto failed"
      start_bg s3 "$MOTO_VENV/bin/moto_server" -H "$HOST" -p "$PORT"
    else
      mkdir -p "$DATA_DIR"
      start_bg s3 env ROOT_ACCESS_KEY="$ACCESS_KEY" ROOT_SECRET_KEY="$SECRET_KEY" VGW_REGION="$REGION" \
        "$VGW_BIN" --port "$HOST:$PORT" --quiet posix "$DATA_DIR"
    fi
    echo "$SERVER" >"$RUN_DIR/s3.server"
    pid=$STARTED_PID
  fi
  wait_port "$HOST" "$PORT" 60 "$pid"
  [[ -s "$RUN_DIR/s3.server" ]] && SERVER=$(cat "$RUN_DIR/s3.server")
  verify
fi

write_env s3 \
  "STRATA_TEST_S3_ENDPOINT=$ENDPOINT" \
  "STRATA_TEST_S3_ACCESS_KEY_ID=$ACCESS_KEY" \
  "STRATA_TEST_S3_SECRET_ACCESS_KEY=$SECRET_KEY" \
  "STRATA_TEST_S3_REGION=$REGION" \
  "STRATA_TEST_S3_FORCE_PATH_STYLE=true"
