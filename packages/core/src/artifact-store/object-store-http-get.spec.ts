import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { httpGet, UnframedResponse } from './object-store-http-get.js';

let server: Server;
let port: number;
let seen: IncomingMessage['headers'] = {};

beforeAll(async () => {
  server = createServer((req, res) => {
    seen = req.headers;
    if (req.url === '/hints') {
      res.writeEarlyHints({ link: '</style.css>; rel=preload' });
      return res.writeHead(200, { 'content-length': 2 }).end('ok');
    }
    if (req.url === '/chunked') {
      res.writeHead(200, { 'transfer-encoding': 'chunked' });
      return res.end('x');
    }
    const body = Buffer.alloc(6 << 20, 1);
    res.writeHead(200, { 'content-length': body.length, 'x-a': '1' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

describe('httpGet', () => {
  it('reads a Content-Length body whole, adds host and connection: close, and forgets its socket', async () => {
    const sockets = new Set<import('node:net').Socket>();
    const response = await httpGet(
      { host: '127.0.0.1', port, target: '/x', headers: [['x-signed', 'yes']] },
      { sockets },
    );
    expect(response.headers['x-a']).toBe('1');
    let size = 0;
    for await (const chunk of response.body) size += (chunk as Buffer).length;
    expect(size).toBe(6 << 20);
    expect(seen).toMatchObject({ host: `127.0.0.1:${port}`, connection: 'close', 'x-signed': 'yes' });
    await vi.waitFor(() => expect(sockets.size).toBe(0));
  });

  it('skips an interim response (103 Early Hints) and reads the final one', async () => {
    const response = await httpGet({ host: '127.0.0.1', port, target: '/hints', headers: [] });
    expect(response.statusCode).toBe(200);
    const chunks: Buffer[] = [];
    for await (const chunk of response.body) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('ok');
  });

  it('rejects with UnframedResponse, before any body byte, when the response is chunked', async () => {
    await expect(
      httpGet({ host: '127.0.0.1', port, target: '/chunked', headers: [] }),
    ).rejects.toBeInstanceOf(UnframedResponse);
  });
});
