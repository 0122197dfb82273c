import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { buffer } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  FastGetClient,
  type HttpClientLike,
  type PipelineRequestLike,
  type PipelineResponseLike,
  ResponseHeaders,
} from './fast-get.js';

const blob = randomBytes(5 * 1024 * 1024 + 3);
let server: Server;
let base: string;
const seen: { url?: string | undefined; headers?: IncomingMessage['headers'] } = {};
const open = new Set<Socket>();

function route(req: IncomingMessage, res: ServerResponse) {
  seen.url = req.url;
  seen.headers = req.headers;
  const path = req.url!.split('?')[0];
  if (path === '/c/blob') {
    return res.writeHead(200, { 'content-length': blob.length, 'x-ms-meta-strata_sha256': 'abc' }).end(blob);
  }
  if (path === '/c/chunked') {
    res.writeHead(200, { 'transfer-encoding': 'chunked' });
    return res.end('chunk');
  }
  if (path === '/c/hang') return;
  const xml = '<Error><Code>BlobNotFound</Code></Error>';
  res
    .writeHead(404, { 'content-length': Buffer.byteLength(xml), 'x-ms-error-code': 'BlobNotFound' })
    .end(xml);
}

beforeAll(async () => {
  server = createServer(route);
  server.on('connection', (s) => {
    open.add(s);
    s.on('close', () => open.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const s of open) s.destroy();
  await new Promise((resolve) => server.close(resolve));
});

const sdk = () => ({ sendRequest: vi.fn(async () => 'sdk' as unknown) }) satisfies HttpClientLike;
const request = (path: string, extra: Partial<PipelineRequestLike> = {}): PipelineRequestLike => ({
  url: `${base}${path}`,
  method: 'GET',
  headers: new ResponseHeaders({ 'x-ms-version': '2025-01-05', authorization: 'SharedKey a:b' }),
  streamResponseStatusCodes: new Set([200, 206]),
  ...extra,
});

describe('FastGetClient', () => {
  it('streams a GET body for the statuses the pipeline streams, with the signed headers sent as given', async () => {
    const client = new FastGetClient(sdk());
    const response = (await client.sendRequest(request('/c/blob?comp=x&sv=1%202'))) as PipelineResponseLike;
    expect(response.status).toBe(200);
    expect(response.headers.get('X-MS-META-STRATA_SHA256')).toBe('abc');
    expect((await buffer(response.readableStreamBody!)).equals(blob)).toBe(true);
    expect(seen.url).toBe('/c/blob?comp=x&sv=1%202');
    expect(seen.headers?.authorization).toBe('SharedKey a:b');
    expect(seen.headers?.host).toBe(new URL(base).host);
  });

  it('returns other statuses as text for the pipeline to parse', async () => {
    const client = new FastGetClient(sdk());
    const response = (await client.sendRequest(request('/c/missing'))) as PipelineResponseLike;
    expect(response.status).toBe(404);
    expect(response.readableStreamBody).toBeUndefined();
    expect(response.bodyAsText).toContain('BlobNotFound');
    expect(response.headers.toJSON()['x-ms-error-code']).toBe('BlobNotFound');
  });

  it("leaves HTTPS, uploads, progress callbacks, compression and unframed responses to the SDK's client", async () => {
    const fallback = sdk();
    const client = new FastGetClient(fallback);
    const cases = [
      request('/c/blob', { url: 'https://127.0.0.1:1/c/blob' }),
      request('/c/blob', { method: 'PUT', body: Buffer.from('x') }),
      request('/c/blob', { onDownloadProgress: () => {} }),
      request('/c/blob', { headers: new ResponseHeaders({ 'accept-encoding': 'gzip' }) }),
      request('/c/chunked'),
    ];
    for (const c of cases) expect(await client.sendRequest(c)).toBe('sdk');
    expect(fallback.sendRequest).toHaveBeenCalledTimes(cases.length);
  });

  it("fails with an AbortError when the pipeline's per-try timeout passes, and on abort", async () => {
    const client = new FastGetClient(sdk());
    await expect(client.sendRequest(request('/c/hang', { timeout: 50 }))).rejects.toMatchObject({
      name: 'AbortError',
    });
    const controller = new AbortController();
    const pending = client.sendRequest(request('/c/hang', { abortSignal: controller.signal }));
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    client.destroy();
  });
});
