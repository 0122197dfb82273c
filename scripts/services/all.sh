#!/usr/bin/env bash
# Start the integration-test services: all.sh [docker postgres temporal s3 gcs azure mlflow chromium]
# (default: all). apt packages are installed first in ONE apt-get run (dpkg takes a global
# lock); then every service script runs in parallel. Prints a timing line per service and the
# exports; afterwards `source .services/env` in the shell that runs the tests.
SERVICE_NAME=all
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ALL_SERVICES=(docker postgres temporal s3 gcs azure mlflow chromium)
if (( $# )); then services=("$@"); else services=("${ALL_SERVICES[@]}"); fi
for s in "${services[@]}"; do
  [[ -f "$SERVICES_SCRIPT_DIR/$s.sh" && " ${ALL_SERVICES[*]} " == *" $s "* ]] \
    || die "unknown service '$s' (known: ${ALL_SERVICES[*]})"
done

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.1f", b-a}'; }
t0=$(now)

# ---- one apt-get run for everything that needs Debian packages -----------------------------
apt_pkgs=()
for s in "${services[@]}"; do
  case $s in
    docker)
      if ! have dockerd && ! curl -s --max-time 3 --unix-socket /var/run/docker.sock http://localhost/_ping >/dev/null 2>&1; then
        apt_pkgs+=(docker.io)
      fi ;;
    chromium)
      [[ -x /usr/bin/chromium ]] || apt_pkgs+=(chromium) ;;
    postgres)
      if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 && ! port_open 127.0.0.1 5432; then
        apt_pkgs+=(postgresql)
      fi ;;
  esac
done
if (( ${#apt_pkgs[@]} )); then
  ta=$(now)
  apt_install "${apt_pkgs[@]}"
  printf '[services] apt-get install %s: %ss\n' "${apt_pkgs[*]}" "$(elapsed "$ta" "$(now)")"
fi

# ---- the services, in parallel ------------------------------------------------------------------
declare -A names starts
for s in "${services[@]}"; do
  starts[$s]=$(now)
  bash "$SERVICES_SCRIPT_DIR/$s.sh" </dev/null >"$RUN_DIR/$s.out" 2>&1 &
  names[$!]=$s
done

failed=()
while (( ${#names[@]} )); do
  rc=0
  wait -n -p done_pid "${!names[@]}" || rc=$?
  s=${names[$done_pid]}
  unset "names[$done_pid]"
  if (( rc == 0 )); then
    printf '[services] %-9s ok     %6ss\n' "$s" "$(elapsed "${starts[$s]}" "$(now)")"
  else
    printf '[services] %-9s FAILED %6ss (exit %s)\n' "$s" "$(elapsed "${starts[$s]}" "$(now)")" "$rc"
    failed+=("$s")
  fi
done

for s in "${failed[@]}"; do
  printf '\n---- output of %s.sh ----\n' "$s" >&2
  tail -n 40 "$RUN_DIR/$s.out" >&2
done
printf '[services] total %ss\n' "$(elapsed "$t0" "$(now)")"
(( ${#failed[@]} == 0 )) || die "failed to start: ${failed[*]} (logs in $LOG_DIR)"

echo "# source $ENV_FILE"
grep '^export ' "$ENV_FILE"
