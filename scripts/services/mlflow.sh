#!/usr/bin/env bash
# MLflow tracking server + model registry on http://127.0.0.1:5055, SQLite backend under
# .services/mlflow-data. MLflow (from PyPI, with its `auth` extra) lives in a venv under
# $STRATA_SERVICES_HOME, shared by every clone (about 2 min to install, then a no-op).
# The server runs MLflow's own basic-auth app with an authorization function that also accepts
# `Authorization: Bearer <token>` (mlflow_token_auth.py beside this script), so Strata's token
# auth and its wrong-token errors are tested against the real server. MLflow's background job runner
# (a dozen huey workers, for GenAI evaluation jobs) is switched off: nothing here uses it.
SERVICE_NAME=mlflow
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

HOST=127.0.0.1
PORT="${STRATA_MLFLOW_PORT:-5055}"
URL="http://$HOST:$PORT"
MLFLOW_VERSION=3.17.2
VENV="$STRATA_SERVICES_HOME/mlflow-venv-$MLFLOW_VERSION"
DATA_DIR="$SERVICES_DIR/mlflow-data"
# Test-only credentials of a loopback server (like Azurite's well-known key): not secrets.
ADMIN_USER=strata-admin
ADMIN_PASSWORD=strata-mlflow-password
TOKEN=strata-mlflow-test-token

# reclaim_mlflow_orphan: like lib.sh's reclaim_orphan, but for the whole process group. `mlflow
# server` listens from a uvicorn child; killing only the listener would leave its parent behind.
reclaim_mlflow_orphan() {
  local pid pgid start=$SECONDS
  pid=$(ss -ltnpH "sport = :$PORT" 2>/dev/null | grep -o 'pid=[0-9]*' | head -n1 | cut -d= -f2) || true
  [[ -n "$pid" ]] || return 0
  [[ "$(readlink "/proc/$pid/cwd" 2>/dev/null)" == *' (deleted)' ]] || return 0
  pgid=$(ps -o pgid= -p "$pid" | tr -d ' ')
  log "the MLflow server on port $PORT (pid $pid, group $pgid) belongs to a deleted clone: stopping it"
  kill -TERM -- "-$pgid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  while port_open "$HOST" "$PORT" && (( SECONDS - start < 20 )); do sleep 0.2; done
  kill -KILL -- "-$pgid" 2>/dev/null || true
  while port_open "$HOST" "$PORT" && (( SECONDS - start < 30 )); do sleep 0.2; done
}

healthy() { curl -sf --max-time 3 "$URL/health" >/dev/null; }

# verify: an authenticated registry call succeeds and a wrong token is refused.
verify() {
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -H "Authorization: Bearer $TOKEN" \
    "$URL/api/2.0/mlflow/registered-models/search?max_results=1") || die "MLflow request failed"
  [[ "$code" == 200 ]] || die "MLflow refused the test token (HTTP $code) on $URL"
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -H "Authorization: Bearer wrong-$TOKEN" \
    "$URL/api/2.0/mlflow/registered-models/search?max_results=1") || die "MLflow request failed"
  [[ "$code" == 401 ]] || die "MLflow accepted a wrong token (HTTP $code) on $URL"
  log "verified token auth (200 with the token, 401 without) on $URL"
}

lock_service

ensure_venv "$VENV" mlflow "mlflow[auth]==$MLFLOW_VERSION" || die "pip install mlflow[auth]==$MLFLOW_VERSION failed"

reclaim_mlflow_orphan
if healthy; then
  log "MLflow already answers on $URL"
  if [[ "${STRATA_SERVICES_VERIFY:-0}" == 1 ]]; then verify; fi
else
  if pid_alive mlflow; then
    pid=$(cat "$(pid_file mlflow)")
    log "mlflow pid $pid is starting; waiting"
  else
    mkdir -p "$DATA_DIR/artifacts"
    cat >"$DATA_DIR/basic_auth.ini" <<INI
[mlflow]
default_permission = READ
database_uri = sqlite:///$DATA_DIR/auth.db
admin_username = $ADMIN_USER
admin_password = $ADMIN_PASSWORD
authorization_function = mlflow_token_auth:authenticate
INI
    # cwd = the data dir, so reclaim_orphan sees a deleted clone; the auth module is on PYTHONPATH.
    ( cd "$DATA_DIR" && MLFLOW_AUTH_CONFIG_PATH="$DATA_DIR/basic_auth.ini" \
      STRATA_MLFLOW_TOKEN="$TOKEN" STRATA_MLFLOW_TOKEN_USER="$ADMIN_USER" \
      STRATA_MLFLOW_TOKEN_PASSWORD="$ADMIN_PASSWORD" MLFLOW_FLASK_SERVER_SECRET_KEY=strata-test-csrf-key \
      MLFLOW_SERVER_ENABLE_JOB_EXECUTION=false PYTHONPATH="$SERVICES_SCRIPT_DIR" \
      start_bg mlflow "$VENV/bin/mlflow" server --app-name basic-auth \
        --backend-store-uri "sqlite:///$DATA_DIR/mlflow.db" \
        --default-artifact-root "$DATA_DIR/artifacts" \
        --host "$HOST" --port "$PORT" --workers 1 )
    pid=$(cat "$(pid_file mlflow)")
  fi
  wait_port "$HOST" "$PORT" 120 "$pid"
  retry_until 60 healthy || die "MLflow on $URL did not report healthy within 60s"
  verify
fi

write_env mlflow \
  "STRATA_TEST_MLFLOW_URL=$URL" \
  "STRATA_TEST_MLFLOW_TOKEN=$TOKEN" \
  "STRATA_TEST_MLFLOW_USERNAME=$ADMIN_USER" \
  "STRATA_TEST_MLFLOW_PASSWORD=$ADMIN_PASSWORD"
