// Baseline for bench/server: a bare Hono app on @hono/node-server answering GET /hello with a tiny
// JSON document and GET /page with a fixed JSON body (the server's own first runs page, read from
// PAGE_FILE), so the ratio isolates what Strata adds (auth middleware, validation, the query, JSON
// serialisation of fresh rows) over the HTTP stack itself. Prints its URL on stdout.
import { readFileSync } from 'node:fs';

const { Hono } = await import(process.env.HONO_URL);
const { serve } = await import(process.env.HONO_NODE_URL);
const page = readFileSync(process.env.PAGE_FILE, 'utf8');
const app = new Hono();
app.get('/hello', (c) => c.json({ hello: 'world' }));
app.get('/page', (c) => c.body(page, 200, { 'content-type': 'application/json' }));
const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => {
  console.log(`http://127.0.0.1:${info.port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
