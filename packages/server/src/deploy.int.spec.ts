import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpsGet, httpsStream } from './testing/https.js';
import { createServerTestProject, type ServerTestProject } from './testing/project.js';
import { workspace } from './testing/server-process.js';
import { storeTargets } from './testing/targets.js';
import { until } from './testing/until.js';

const run = promisify(execFile);
const docker = (...args: string[]) => run('docker', args, { maxBuffer: 16 * 1024 * 1024 });
const IMAGE = 'strata-server:test';

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

/**
 * The team deployment of docs/server.md, for real: the image built from this repository by
 * packages/server/deploy/build-image.sh, run by the Docker engine against the test PostgreSQL, with a
 * second container of the same image running the TLS reverse proxy in front of it; the API and its
 * live events are reached over HTTPS through the proxy. Both containers use the host network (the
 * only way to reach the loopback-bound test PostgreSQL) and bind loopback only.
 */
describe('team deployment: the server image, PostgreSQL and a TLS proxy (Docker)', {
  timeout: 900_000,
}, () => {
  const [, pg] = storeTargets();
  const suffix = `${process.pid}-${Date.now().toString(36)}`;
  const containers = { server: `strata-deploy-server-${suffix}`, proxy: `strata-deploy-proxy-${suffix}` };
  let project: ServerTestProject;
  let certs: string;
  let ca: string;
  let token: string;
  let base: string;

  beforeAll(async () => {
    // 1. The image, from the repository (the built CLI; cached when nothing changed).
    const built = await run('bash', [join(workspace, 'packages/server/deploy/build-image.sh'), IMAGE], {
      timeout: 840_000,
    });
    expect(built.stdout.trim()).toBe(IMAGE);
    // 2. A project whose store is a fresh PostgreSQL database, one completed run and an admin token.
    project = await createServerTestProject(await pg!.url());
    await copyFile(`${workspace}/examples/concepts/readme.ts`, `${project.root}/demo.ts`);
    expect((await project.strata('run', 'demo.ts')).code).toBe(0);
    const created = await project.strata('server', 'token', 'create', 'ops', '--scope', 'admin');
    expect(created.code, created.stderr).toBe(0);
    token = created.stdout.trim();
    // 3. A self-signed certificate for 127.0.0.1 (a real deployment uses its CA's certificate).
    certs = await mkdtemp(join(tmpdir(), 'strata-deploy-certs-'));
    await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=strata.test',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout',
      join(certs, 'strata.key'),
      '-out',
      join(certs, 'strata.crt'),
    ]);
    ca = await readFile(join(certs, 'strata.crt'), 'utf8');
    // 4. The server container on the team's PostgreSQL, then the TLS proxy in front of it.
    const [apiPort, tlsPort] = [await freePort(), await freePort()];
    await docker(
      'run',
      '-d',
      '--rm',
      '--name',
      containers.server,
      '--network',
      'host',
      '-v',
      `${project.root}:${project.root}`,
      '-w',
      project.root,
      '-e',
      `STRATA_DATABASE_URL=${project.env.STRATA_DATABASE_URL}`,
      IMAGE,
      'server',
      'start',
      '--host',
      '127.0.0.1',
      '--port',
      String(apiPort),
      '--trust-proxy',
      '--json',
    );
    await docker(
      'run',
      '-d',
      '--rm',
      '--name',
      containers.proxy,
      '--network',
      'host',
      '-v',
      `${certs}:/certs:ro`,
      '--entrypoint',
      'node',
      IMAGE,
      '/strata/deploy/tls-proxy.mjs',
      '--listen',
      `127.0.0.1:${tlsPort}`,
      '--upstream',
      `http://127.0.0.1:${apiPort}`,
      '--cert',
      '/certs/strata.crt',
      '--key',
      '/certs/strata.key',
    );
    base = `https://127.0.0.1:${tlsPort}/api/v1`;
    await until('the server did not answer through the proxy', 120_000, async () => {
      const r = await httpsGet(`${base}/server`, { ca, headers: { authorization: `Bearer ${token}` } });
      return r.status === 200 ? r : undefined;
    });
  }, 900_000);

  afterAll(async () => {
    for (const name of Object.values(containers)) await docker('rm', '-f', name).catch(() => {});
    await project?.dispose();
    if (certs) await rm(certs, { recursive: true, force: true });
    await pg?.dispose();
  }, 120_000);

  it('serves the API over TLS from the container, on PostgreSQL, with tokens required', async () => {
    const auth = { authorization: `Bearer ${token}` };
    const info = JSON.parse((await httpsGet(`${base}/server`, { ca, headers: auth })).body);
    expect(info).toMatchObject({
      database: 'postgres',
      auth: 'token',
      principal: { name: 'ops', scope: 'admin' },
    });
    const runs = JSON.parse((await httpsGet(`${base}/runs?pipeline=demo`, { ca, headers: auth })).body);
    expect(runs.items.map((r: { status: string }) => r.status)).toEqual(['completed']);
    const anonymous = await httpsGet(`${base}/runs`, { ca });
    expect(anonymous.status).toBe(401);
    expect(JSON.parse(anonymous.body).error.code).toBe('unauthorized');
    // Real TLS: a client that does not trust the certificate is refused before any HTTP.
    await expect(httpsGet(`${base}/server`)).rejects.toThrow(/self[- ]signed|certificate/i);
  });

  it('streams live events through the proxy as they happen', async () => {
    const stream = httpsStream(`${base}/events?types=run`, {
      ca,
      headers: { authorization: `Bearer ${token}` },
    });
    try {
      await until('the event stream never said ready', 30_000, async () =>
        stream.text().includes('event: ready') ? true : undefined,
      );
      expect(stream.status()).toBe(200);
      expect((await project.strata('run', 'demo.ts')).code).toBe(0);
      await until('no run event arrived through the proxy', 60_000, async () =>
        /"status":"completed"/.test(stream.text()) ? true : undefined,
      );
    } finally {
      stream.close();
    }
  });

  it('logs one JSON object per line, never the token', async () => {
    const logs = await docker('logs', containers.server);
    const text = logs.stdout + logs.stderr;
    const lines = logs.stderr.split('\n').filter((l) => l.startsWith('{'));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(JSON.parse(line)).toHaveProperty('level');
    expect(text).not.toContain(token);
    expect(text).not.toContain(token.slice(-20));
  });
});
