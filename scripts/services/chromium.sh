#!/usr/bin/env bash
# Debian's Chromium for the dashboard's browser tests (playwright-core drives it headless; the
# browsers Playwright downloads itself cannot be fetched offline). Idempotent: installs only when
# /usr/bin/chromium is missing, then checks that it starts and prints its version.
SERVICE_NAME=chromium
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

lock_service
if [[ ! -x /usr/bin/chromium ]]; then
  apt_install chromium
fi
[[ -x /usr/bin/chromium ]] || die "chromium installed but /usr/bin/chromium is missing"
version=$(timeout 60 /usr/bin/chromium --headless --no-sandbox --disable-gpu --version 2>>"$LOG_DIR/chromium.log") \
  || die "/usr/bin/chromium --version failed"
log "$version"
write_env chromium "STRATA_CHROMIUM=/usr/bin/chromium"
