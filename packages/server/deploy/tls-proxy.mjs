// A small TLS-terminating reverse proxy for the Strata server, for deployments (and the deployment
// test) where nginx or Caddy is not at hand: an offline machine cannot pull their images. It does
// what the nginx block in docs/server.md does: terminate TLS, set X-Forwarded-For/-Proto, and stream
// responses unbuffered (Server-Sent Events pass through at once). Only node: built-ins.
//
//   node tls-proxy.mjs --listen 127.0.0.1:8443 --upstream http://127.0.0.1:8420 \
//     --cert /etc/ssl/strata.crt --key /etc/ssl/strata.key
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:https';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    listen: { type: 'string', default: '0.0.0.0:8443' },
    upstream: { type: 'string', default: 'http://127.0.0.1:8420' },
    cert: { type: 'string' },
    key: { type: 'string' },
  },
});
if (!values.cert || !values.key) {
  console.error('tls-proxy: --cert and --key are required (PEM files)');
  process.exit(2);
}
const upstream = new URL(values.upstream);
const split = values.listen.lastIndexOf(':');
const [host, port] = [values.listen.slice(0, split), Number(values.listen.slice(split + 1))];

const hopByHop = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
]);

const server = createServer(
  { cert: readFileSync(values.cert), key: readFileSync(values.key) },
  (req, res) => {
    const headers = {};
    for (const [k, v] of Object.entries(req.headers)) if (!hopByHop.has(k)) headers[k] = v;
    const client = req.socket.remoteAddress ?? '';
    headers['x-forwarded-for'] = req.headers['x-forwarded-for']
      ? `${req.headers['x-forwarded-for']}, ${client}`
      : client;
    headers['x-forwarded-proto'] = 'https';
    headers['x-forwarded-host'] = req.headers.host ?? '';
    const out = request(
      { host: upstream.hostname, port: upstream.port || 80, method: req.method, path: req.url, headers },
      (up) => {
        const back = {};
        for (const [k, v] of Object.entries(up.headers)) if (!hopByHop.has(k)) back[k] = v;
        res.writeHead(up.statusCode ?? 502, back);
        res.flushHeaders();
        up.pipe(res);
      },
    );
    out.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
      res.end('{"error":{"code":"http_502","message":"the Strata server did not answer the proxy"}}');
    });
    res.on('close', () => out.destroy());
    req.pipe(out);
  },
);
server.listen(port, host, () => console.log(`https://${host}:${server.address().port}`));
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.close(() => process.exit(0)));
