import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpOperationResponse, WebResource } from '@azure/storage-blob';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createBlobServiceClient } from './client.js';
import { retryPolicyFactory } from './retry.js';

const request = {} as WebResource;
const answer = (status: number) => ({ status }) as HttpOperationResponse;

/** A policy over a fake `next` that answers the given statuses (or throws the given errors) in turn. */
function policy(answers: (number | Error)[], maxAttempts: number, random: () => number = Math.random) {
  const delays: number[] = [];
  let calls = 0;
  const next = {
    async sendRequest() {
      const a = answers[Math.min(calls++, answers.length - 1)]!;
      if (a instanceof Error) throw a;
      return answer(a);
    },
  };
  const retrying = retryPolicyFactory({
    maxAttempts,
    backoff: { baseMs: 100, maxMs: 1000 },
    random,
    sleep: async (ms) => delays.push(ms),
  }).create(next, {} as never);
  return { send: () => retrying.sendRequest(request), delays, calls: () => calls };
}

describe('azure retry policy', () => {
  it('waits a random fraction of the exponential bound before each retry (full jitter)', async () => {
    const randoms = [0.5, 0.25, 0.9];
    const p = policy([503, 500, 429, 200], 8, () => randoms.shift()!);
    expect((await p.send()).status).toBe(200);
    // Without jitter these would be the bounds themselves (100, 200, 400) or fixed SDK delays.
    expect(p.delays).toEqual([50, 50, 360]);
  });

  it('spreads the first retry of many clients over [0, base)', async () => {
    const delays: number[] = [];
    for (let i = 0; i < 40; i++) {
      const p = policy([503, 200], 2);
      await p.send();
      delays.push(...p.delays);
    }
    expect(delays).toHaveLength(40);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...delays)).toBeLessThan(100);
    expect(new Set(delays.map((d) => Math.round(d))).size).toBeGreaterThan(10);
  });

  it('caps the bound at maxMs', async () => {
    const p = policy([503], 8, () => 0.999);
    expect((await p.send()).status).toBe(503);
    expect(p.calls()).toBe(8);
    expect(Math.max(...p.delays)).toBeLessThan(1000);
    expect(p.delays.at(-1)).toBeGreaterThan(990);
  });

  it('retries thrown 429/5xx and dropped connections, not 4xx', async () => {
    const throttled = Object.assign(new Error('busy'), { statusCode: 429 });
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const ok = policy([throttled, reset, 201], 5);
    expect((await ok.send()).status).toBe(201);
    expect(ok.calls()).toBe(3);

    const denied = Object.assign(new Error('denied'), { statusCode: 403 });
    const refused = policy([denied, 200], 5);
    await expect(refused.send()).rejects.toBe(denied);
    expect(refused.calls()).toBe(1);
    const missing = policy([404, 200], 5);
    expect((await missing.send()).status).toBe(404);
    expect(missing.calls()).toBe(1);
  });

  it('gives up after maxAttempts tries with the last error', async () => {
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    const p = policy([reset], 3);
    await expect(p.send()).rejects.toBe(reset);
    expect(p.calls()).toBe(3);
    expect(p.delays).toHaveLength(2);
  });
});

describe('createBlobServiceClient retries through Strata’s policy', () => {
  let server: Server;
  let endpoint: string;
  let failures: number[] = [];
  const seen: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        seen.push(`${req.method} ${req.url?.split('?')[0]}`);
        const status = failures.shift();
        if (status) {
          res.writeHead(status, { 'content-type': 'application/xml', 'x-ms-error-code': 'ServerBusy' });
          res.end(
            '<?xml version="1.0" encoding="utf-8"?><Error><Code>ServerBusy</Code><Message>busy</Message></Error>',
          );
          return;
        }
        res.writeHead(201, {
          etag: '"0x1"',
          'last-modified': new Date().toUTCString(),
          'content-length': '0',
        });
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/devstoreaccount1`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  afterEach(() => {
    vi.restoreAllMocks();
    seen.length = 0;
  });

  it('retries 429 and 503 with a jittered delay (Math.random drawn per retry)', async () => {
    const random = vi.spyOn(Math, 'random').mockReturnValue(0);
    failures = [429, 503];
    const client = createBlobServiceClient({
      accountName: 'devstoreaccount1',
      accountKey: Buffer.from('not a real key, loopback test only').toString('base64'),
      endpoint,
      maxAttempts: 4,
    });
    await client.getContainerClient('c').getBlockBlobClient('k').upload('abc', 3);
    expect(seen).toEqual([
      'PUT /devstoreaccount1/c/k',
      'PUT /devstoreaccount1/c/k',
      'PUT /devstoreaccount1/c/k',
    ]);
    expect(random.mock.calls.length).toBeGreaterThanOrEqual(2);
  });

  it('stops after maxAttempts tries', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    failures = [503, 503, 503, 503];
    const client = createBlobServiceClient({
      accountName: 'devstoreaccount1',
      accountKey: Buffer.from('not a real key, loopback test only').toString('base64'),
      endpoint,
      maxAttempts: 2,
    });
    await expect(
      client.getContainerClient('c').getBlockBlobClient('k').upload('abc', 3),
    ).rejects.toMatchObject({
      statusCode: 503,
    });
    expect(seen).toHaveLength(2);
    failures = [];
  });
});
