import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../artifact-type/artifact-type.js';
import { isStrataError } from '../errors/strata-error.js';
import { pipeline } from '../pipeline/pipeline.js';
import { step } from '../step/step.js';
import { createMemoryStack, type MemoryStack } from '../testing/index.js';
import { httpFingerprinter, redact } from './http-fingerprint.js';
import { source } from './source.js';

/** What each path answers; the test edits it between fingerprints. The server is on 127.0.0.1. */
const routes: Record<string, { headers: Record<string, string>; body: string }> = {};
const requests: string[] = [];
let server: Server;
let base: string;
let temp: MemoryStack;

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push(`${req.method} ${path}`);
    const route = routes[path];
    if (!route) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-length': String(Buffer.byteLength(route.body)), ...route.headers });
    res.end(req.method === 'HEAD' ? undefined : route.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  temp = await createMemoryStack();
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await temp.cleanup();
});

const fingerprint = (path: string) =>
  httpFingerprinter.fingerprint({ uri: `${base}${path}` }, { projectRoot: '/' });

describe('the http(s) fingerprinter against a loopback server', () => {
  it('uses a strong ETag from HEAD without downloading, and a new ETag changes the digest', async () => {
    routes['/etag.csv'] = { headers: { etag: '"v1"' }, body: 'x\n1\n' };
    requests.length = 0;
    const first = await fingerprint('/etag.csv');
    expect(first).toMatchObject({ digest: 'etag:"v1"', size: 4, count: 1, scheme: 'http' });
    expect(requests).toEqual(['HEAD /etag.csv']);
    routes['/etag.csv'] = { headers: { etag: '"v2"' }, body: 'x\n1\n2\n' };
    expect((await fingerprint('/etag.csv')).digest).toBe('etag:"v2"');
  });

  it('falls back to Last-Modified with the length when the ETag is weak or absent', async () => {
    const lastModified = 'Sun, 06 Dec 2026 10:00:00 GMT';
    routes['/weak.csv'] = { headers: { etag: 'W/"x"', 'last-modified': lastModified }, body: 'abc' };
    const weak = await fingerprint('/weak.csv');
    expect(weak.digest).toBe(`last-modified:${lastModified};3`);
    expect(weak.details).toEqual({ etag: 'W/"x"', lastModified });
    routes['/weak.csv'] = {
      headers: { 'last-modified': 'Sun, 06 Dec 2026 11:00:00 GMT' },
      body: 'abc',
    };
    expect((await fingerprint('/weak.csv')).digest).not.toBe(weak.digest);
  });

  it('downloads and hashes the body when the server sends neither', async () => {
    routes['/plain.csv'] = { headers: {}, body: 'hello' };
    requests.length = 0;
    const plain = await fingerprint('/plain.csv');
    expect(plain.digest).toBe('sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');
    expect(plain.size).toBe(5);
    expect(requests).toEqual(['HEAD /plain.csv', 'GET /plain.csv']);
  });

  it('a 404 is source_unreachable naming the URL without its query string', async () => {
    const error = await httpFingerprinter
      .fingerprint({ uri: `${base}/missing.csv?token=secret` }, { projectRoot: '/' })
      .catch((e: unknown) => e);
    expect(isStrataError(error) && error.code).toBe('source_unreachable');
    expect(String((error as Error).message)).toContain('/missing.csv?…');
    expect(String((error as Error).message)).not.toContain('secret');
    expect(redact('https://u:p@host/a?sig=1')).toBe('https://host/a?…');
  });

  it('through a pipeline: a hit while the ETag holds, a miss naming the URL when it changes', async () => {
    routes['/train.csv'] = { headers: { etag: '"a1"' }, body: 'x\n1\n' };
    const read = step({
      name: 'read_url',
      inputs: { data: t.source() },
      outputs: { digest: t.json<string>() },
      run: ({ data }) => ({ digest: data.fingerprint.digest }),
    });
    const flow = pipeline({
      name: 'http-source',
      body: () => void read({ data: source(`${base}/train.csv`) }),
    });
    const once = async () => {
      const run = await (await flow.run({ stack: temp.stack })).wait();
      return (await temp.stack.database.listStepRuns(run.id))[0]!;
    };
    expect((await once()).status).toBe('completed');
    expect((await once()).status).toBe('cached');
    routes['/train.csv'] = { headers: { etag: '"b2"' }, body: 'x\n1\n2\n' };
    const changed = await once();
    expect(changed.status).toBe('completed');
    expect(changed.cacheReason).toBe(`miss: source ${base}/train.csv changed (etag a1 -> b2)`);
  });
});
