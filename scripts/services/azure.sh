#!/usr/bin/env bash
# Azure Blob emulator (Azurite, blob service only) on http://127.0.0.1:10000, data under
# .services/azurite-data. azurite is pinned to 3.35.x (3.37 needs Node 22) and installed with npm
# into its own prefix under $STRATA_SERVICES_HOME (not into the repo's package.json), shared by every
# clone. --skipApiVersionCheck lets the current @azure/storage-blob talk to it.
SERVICE_NAME=azure
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

HOST=127.0.0.1
PORT="${STRATA_AZURE_PORT:-10000}"
AZURITE_VERSION=3.35.0
PREFIX="$STRATA_SERVICES_HOME/azurite/$AZURITE_VERSION"
AZ_BIN="$PREFIX/node_modules/.bin/azurite-blob"
DATA_DIR="$SERVICES_DIR/azurite-data"
ACCOUNT=devstoreaccount1
ACCOUNT_KEY='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='
BLOB_ENDPOINT="http://$HOST:$PORT/$ACCOUNT"
CONNECTION_STRING="DefaultEndpointsProtocol=http;AccountName=$ACCOUNT;AccountKey=$ACCOUNT_KEY;BlobEndpoint=$BLOB_ENDPOINT;"

install_azurite() {
  [[ -x "$AZ_BIN" ]] && return 0
  have npm || die "npm not found"
  lock_install azurite
  if [[ ! -x "$AZ_BIN" ]]; then
    log "npm install azurite@$AZURITE_VERSION into $PREFIX"
    rm -rf "$PREFIX"
    mkdir -p "$PREFIX"
    # its own package.json so npm never walks up into another project
    echo '{"name":"strata-azurite","private":true}' >"$PREFIX/package.json"
    (cd "$PREFIX" && npm install --no-audit --no-fund --omit=dev --no-package-lock \
      "azurite@$AZURITE_VERSION") >>"$LOG_DIR/azure.log" 2>&1 \
      || { rm -rf "$PREFIX"; die "npm install azurite@$AZURITE_VERSION failed"; }
    [[ -x "$AZ_BIN" ]] || die "azurite installed but $AZ_BIN is missing"
  fi
  unlock_install
}

# verify with SharedKey-signed requests: create container, put blob, get blob, delete container.
verify() {
  node - "$BLOB_ENDPOINT" "$ACCOUNT" "$ACCOUNT_KEY" <<'JS' || die "Azurite blob put/get check failed"
const crypto = require('node:crypto');
const [endpoint, account, key] = process.argv.slice(2);
async function call(method, path, query = {}, body) {
  const url = new URL(endpoint + path);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  const headers = { 'x-ms-date': new Date().toUTCString(), 'x-ms-version': '2021-12-02' };
  const len = body ? Buffer.byteLength(body) : 0;
  if (body) { headers['x-ms-blob-type'] = 'BlockBlob'; headers['content-type'] = 'text/plain'; }
  const canonHeaders = Object.keys(headers).filter((h) => h.startsWith('x-ms-')).sort()
    .map((h) => `${h}:${headers[h]}\n`).join('');
  const canonResource = `/${account}${url.pathname}` + [...url.searchParams.keys()].sort()
    .map((k) => `\n${k.toLowerCase()}:${url.searchParams.get(k)}`).join('');
  const toSign = [method, '', '', len ? String(len) : '', '', headers['content-type'] ?? '', '', '', '', '', '', '']
    .join('\n') + '\n' + canonHeaders + canonResource;
  const sig = crypto.createHmac('sha256', Buffer.from(key, 'base64')).update(toSign, 'utf8').digest('base64');
  const res = await fetch(url, { method, headers: { ...headers, authorization: `SharedKey ${account}:${sig}` }, body });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url} -> ${res.status} ${text}`);
  return text;
}
(async () => {
  const c = `strata-services-probe-${process.pid}`;
  const body = `probe ${Date.now()}`;
  await call('PUT', `/${c}`, { restype: 'container' });
  await call('PUT', `/${c}/dir/probe.txt`, {}, body);
  const got = await call('GET', `/${c}/dir/probe.txt`);
  if (got !== body) throw new Error(`got '${got}', expected '${body}'`);
  await call('DELETE', `/${c}`, { restype: 'container' });
})().catch((e) => { console.error(e.message); process.exit(1); });
JS
  log "verified container create/put/get/delete on $BLOB_ENDPOINT"
}

lock_service

reclaim_orphan "$PORT"
if port_open "$HOST" "$PORT"; then
  log "something already answers on $HOST:$PORT"
  if [[ "${STRATA_SERVICES_VERIFY:-0}" == 1 ]]; then verify; fi
else
  if pid_alive azure; then
    pid=$(cat "$(pid_file azure)")
    log "azurite pid $pid is starting; waiting"
  else
    install_azurite
    mkdir -p "$DATA_DIR"
    start_bg azure "$AZ_BIN" --blobHost "$HOST" --blobPort "$PORT" --location "$DATA_DIR" \
      --skipApiVersionCheck --loose --disableProductStyleUrl --disableTelemetry
    pid=$STARTED_PID
  fi
  wait_port "$HOST" "$PORT" 60 "$pid"
  verify
fi

write_env azure "STRATA_TEST_AZURE_CONNECTION_STRING=$CONNECTION_STRING"
