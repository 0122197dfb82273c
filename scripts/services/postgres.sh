#!/usr/bin/env bash
# PostgreSQL (Debian's cluster <major>/main) on 127.0.0.1:5432, with role strata/strata (CREATEDB,
# so tests can create throwaway databases) owning database strata_test.
SERVICE_NAME=postgres
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

HOST=127.0.0.1
PORT=5432
PG_USER=strata
PG_PASSWORD=strata
PG_DB=strata_test
URL="postgres://$PG_USER:$PG_PASSWORD@$HOST:$PORT/$PG_DB"

lock_service

if ! have pg_ctlcluster || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  apt_install postgresql
fi
have pg_ctlcluster || die "postgresql installed but pg_ctlcluster is missing"

# newest installed major (15 on Debian 12)
PG_MAJOR="${STRATA_PG_MAJOR:-$(ls /usr/lib/postgresql | sort -n | tail -1)}"
[[ -x "/usr/lib/postgresql/$PG_MAJOR/bin/postgres" ]] || die "no postgres server binary for major $PG_MAJOR"

as_postgres() { runuser -u postgres -- "$@"; }
psql_admin() { as_postgres psql -X -q -v ON_ERROR_STOP=1 -p "$PORT" -d postgres "$@"; }

if port_open "$HOST" "$PORT"; then
  log "something already answers on $HOST:$PORT"
else
  if ! pg_lsclusters -h 2>/dev/null | awk -v v="$PG_MAJOR" '$1==v && $2=="main"' | grep . >/dev/null; then
    log "creating cluster $PG_MAJOR/main"
    nolocks pg_createcluster -p "$PORT" "$PG_MAJOR" main >>"$LOG_DIR/postgres.log" 2>&1 \
      || die "pg_createcluster $PG_MAJOR main failed"
  fi
  cluster_port=$(pg_conftool -s "$PG_MAJOR" main show port 2>/dev/null || echo "$PORT")
  [[ "$cluster_port" == "$PORT" ]] || die "cluster $PG_MAJOR/main is configured for port $cluster_port, expected $PORT"
  log "pg_ctlcluster $PG_MAJOR main start"
  nolocks pg_ctlcluster "$PG_MAJOR" main start >>"$LOG_DIR/postgres.log" 2>&1 \
    || die "pg_ctlcluster $PG_MAJOR main start failed (server log: /var/log/postgresql/postgresql-$PG_MAJOR-main.log)"
  echo "$PG_MAJOR main" >"$RUN_DIR/postgres.cluster" # stop.sh stops only what we started
  wait_port "$HOST" "$PORT" 60
fi

# The role and database (cheap, idempotent; also repairs a changed password or a missing CREATEDB).
retry_until 30 psql_admin -c 'select 1' || die "cannot connect to the local cluster as the postgres superuser"
psql_admin >>"$LOG_DIR/postgres.log" 2>&1 <<SQL || die "creating role $PG_USER failed"
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$PG_USER') THEN
    CREATE ROLE $PG_USER LOGIN CREATEDB PASSWORD '$PG_PASSWORD';
  ELSE
    ALTER ROLE $PG_USER LOGIN CREATEDB PASSWORD '$PG_PASSWORD';
  END IF;
END
\$\$;
SQL
if [[ "$(psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'")" != 1 ]]; then
  log "creating database $PG_DB"
  psql_admin -c "CREATE DATABASE $PG_DB OWNER $PG_USER" >>"$LOG_DIR/postgres.log" 2>&1 \
    || die "creating database $PG_DB failed"
fi

out=$(PGCONNECT_TIMEOUT=5 psql -X "$URL" -tAc 'select 1' 2>&1) && [[ "$out" == 1 ]] \
  || die "psql $URL -c 'select 1' failed: $out"

write_env postgres "STRATA_TEST_POSTGRES_URL=$URL"
