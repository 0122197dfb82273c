import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { buffer } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildQueryString, FastGetHandler, type HttpHandlerLike, type HttpResponseLike } from './fast-get.js';

const big = randomBytes(9 * 1024 * 1024 + 17);
let server: Server;
let port: number;
const seen: { url?: string | undefined; headers?: IncomingMessage['headers'] } = {};
const open = new Set<Socket>();

function route(req: IncomingMessage, res: ServerResponse) {
  seen.url = req.url;
  seen.headers = req.headers;
  const path = req.url!.split('?')[0];
  if (path === '/big') return res.writeHead(200, { 'content-length': big.length }).end(big);
  if (path === '/missing') {
    const xml = '<Error><Code>NoSuchKey</Code></Error>';
    return res.writeHead(404, { 'content-length': Buffer.byteLength(xml) }).end(xml);
  }
  if (path === '/chunked') {
    res.writeHead(200, { 'transfer-encoding': 'chunked' });
    res.write('chunk');
    return res.end();
  }
  if (path === '/cut') {
    // Announces more than it sends, then drops the connection.
    res.writeHead(200, { 'content-length': 1000 });
    res.write(Buffer.alloc(100));
    setTimeout(() => res.socket?.destroy(), 20);
    return;
  }
  if (path === '/hang') return; // never answers
  res.writeHead(204).end();
}

beforeAll(async () => {
  server = createServer(route);
  server.on('connection', (s) => {
    open.add(s);
    s.on('close', () => open.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  for (const s of open) s.destroy();
  await new Promise((resolve) => server.close(resolve));
});

const fallback = () => {
  const handle = vi.fn(async () => ({ response: 'fallback' as unknown }));
  return { handle, destroy: vi.fn() } satisfies HttpHandlerLike;
};
const request = (path: string, extra: object = {}) => ({
  protocol: 'http:',
  hostname: '127.0.0.1',
  port,
  method: 'GET',
  path,
  query: { 'x-id': 'GetObject', 'a b': "it's", flag: null },
  headers: { host: `127.0.0.1:${port}`, 'x-amz-date': '20261127T000000Z' },
  ...extra,
});

describe('FastGetHandler', () => {
  it('delivers a Content-Length body byte for byte, with the request line and headers as signed', async () => {
    const handler = new FastGetHandler(fallback());
    const { response } = (await handler.handle(request('/big'))) as { response: HttpResponseLike };
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-length']).toBe(String(big.length));
    expect((await buffer(response.body)).equals(big)).toBe(true);
    expect(seen.url).toBe('/big?a%20b=it%27s&flag&x-id=GetObject');
    expect(seen.headers?.['x-amz-date']).toBe('20261127T000000Z');
    expect(seen.headers?.connection).toBe('close');
  });

  it('keeps every byte when the consumer is slow (the socket is paused, not overrun)', async () => {
    const handler = new FastGetHandler(fallback());
    const { response } = (await handler.handle(request('/big'))) as { response: HttpResponseLike };
    const chunks: Buffer[] = [];
    for await (const c of response.body) {
      chunks.push(c as Buffer);
      await new Promise((r) => setTimeout(r, 2));
    }
    expect(Buffer.concat(chunks).equals(big)).toBe(true);
  });

  it('returns error responses with their body for the SDK to parse', async () => {
    const handler = new FastGetHandler(fallback());
    const { response } = (await handler.handle(request('/missing'))) as { response: HttpResponseLike };
    expect(response.statusCode).toBe(404);
    expect((await buffer(response.body)).toString()).toContain('NoSuchKey');
    const empty = (await handler.handle(request('/empty'))) as { response: HttpResponseLike };
    expect(empty.response.statusCode).toBe(204);
    expect((await buffer(empty.response.body)).length).toBe(0);
  });

  it("sends a response it cannot frame (chunked), HTTPS and other methods the SDK handler's way", async () => {
    const sdk = fallback();
    const handler = new FastGetHandler(sdk);
    expect((await handler.handle(request('/chunked'))).response).toBe('fallback');
    expect((await handler.handle(request('/big', { protocol: 'https:' }))).response).toBe('fallback');
    expect((await handler.handle(request('/big', { method: 'PUT', body: Buffer.from('x') }))).response).toBe(
      'fallback',
    );
    expect(sdk.handle).toHaveBeenCalledTimes(3);
    handler.destroy();
    expect(sdk.destroy).toHaveBeenCalled();
  });

  it('fails the body, as a connection reset, when the connection drops before Content-Length bytes', async () => {
    const handler = new FastGetHandler(fallback());
    const { response } = (await handler.handle(request('/cut'))) as { response: HttpResponseLike };
    await expect(buffer(response.body)).rejects.toMatchObject({ code: 'ECONNRESET' });
  });

  it('rejects with a retryable error when the server is not there or does not answer', async () => {
    const handler = new FastGetHandler(fallback(), { requestTimeout: 100 });
    await expect(handler.handle(request('/big', { port: 1 }))).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
    await expect(handler.handle(request('/hang'))).rejects.toMatchObject({ name: 'TimeoutError' });
    const controller = new AbortController();
    const pending = handler.handle(request('/hang'), { abortSignal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });

  it("builds the query string as smithy's buildQueryString does", () => {
    expect(buildQueryString({ b: ['2', '1'], a: '*', c: undefined })).toBe('a=%2A&b=2&b=1&c');
  });
});
