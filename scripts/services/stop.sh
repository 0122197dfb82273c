#!/usr/bin/env bash
# Stop what the service scripts of THIS clone started: stop.sh [docker postgres temporal s3 gcs azure mlflow]
# (default: all). Uses the pid files in .services/run; a server that some other clone or person
# started is left alone. Data dirs under .services/ are kept.
SERVICE_NAME=stop
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ALL_SERVICES=(mlflow azure gcs s3 temporal postgres docker)
if (( $# )); then services=("$@"); else services=("${ALL_SERVICES[@]}"); fi

stop_pid() { # NAME: TERM the recorded pid, wait, then KILL its process group
  local name=$1 f pid i
  f=$(pid_file "$name")
  [[ -s "$f" ]] || { log "$name: no pid file"; return 0; }
  pid=$(cat "$f")
  if kill -0 "$pid" 2>/dev/null; then
    log "$name: stopping pid $pid"
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 60; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.5
    done
    if kill -0 "$pid" 2>/dev/null; then
      log "$name: pid $pid still alive after 30s, killing its process group"
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    fi
  else
    log "$name: pid $pid not running"
  fi
  rm -f "$f"
}

for s in "${services[@]}"; do
  case $s in
    postgres)
      if [[ -s "$RUN_DIR/postgres.cluster" ]]; then
        read -r ver cluster <"$RUN_DIR/postgres.cluster"
        log "postgres: pg_ctlcluster $ver $cluster stop"
        pg_ctlcluster "$ver" "$cluster" stop >>"$LOG_DIR/postgres.log" 2>&1 || log "postgres: stop failed (already stopped?)"
        rm -f "$RUN_DIR/postgres.cluster"
      else
        log "postgres: not started by this clone"
      fi ;;
    docker | temporal | s3 | gcs | azure | mlflow)
      stop_pid "$s"
      rm -f "$RUN_DIR/$s.server" ;;
    *) die "unknown service '$s'" ;;
  esac
done
