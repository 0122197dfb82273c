import { copyFile, readFile, rm, writeFile } from 'node:fs/promises';
import { openDatabase } from '@strata/metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type StrataClient, type StrataEvent } from './client/index.js';
import { collectEvents } from './testing/collect.js';
import { createServerTestProject, type ServerTestProject } from './testing/project.js';
import { seedRuns } from './testing/seed.js';
import { type ServerProcess, startServerProcess, workspace } from './testing/server-process.js';
import { storeTargets } from './testing/targets.js';

const FLAKY_PIPELINE = `import { existsSync } from 'node:fs';
import { pipeline, step, t } from '@strata/core';

const first = step({ name: 'first', outputs: { n: t.json<number>() }, run: () => ({ n: 1 }) });
const second = step({
  name: 'second',
  inputs: { n: t.json<number>() },
  outputs: { m: t.json<number>() },
  run: ({ n }) => {
    if (existsSync('fail.flag')) throw new Error('fail.flag is set');
    return { m: n + 1 };
  },
});

export const flaky = pipeline({
  name: 'flaky',
  body: () => {
    const { n } = first();
    second({ n });
  },
});
`;

/** The secret part of `strata_<16 hex id>_<secret>`. */
const secretOf = (token: string) => token.slice('strata_'.length + 17);

async function tokenOf(project: ServerTestProject, name: string, scope: string): Promise<string> {
  const r = await project.strata('server', 'token', 'create', name, '--scope', scope);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.trim();
}

for (const target of storeTargets()) {
  describe(`auth, writes and live events on ${target.name} (real server process)`, {
    timeout: 300_000,
  }, () => {
    let project: ServerTestProject;
    let server: ServerProcess;
    let tokens: { read: string; write: string; admin: string };
    let url: string;
    const client = (token?: string): StrataClient =>
      createClient({ baseUrl: url, ...(token ? { token } : {}) });

    beforeAll(async () => {
      project = await createServerTestProject(await target.url());
      await copyFile(`${workspace}/examples/concepts/readme.ts`, `${project.root}/demo.ts`);
      const run = await project.strata('run', 'demo.ts');
      expect(run.code, run.stderr).toBe(0);
      const db = await openDatabase(project.env.STRATA_DATABASE_URL ?? `${project.root}/.strata/strata.db`);
      try {
        await seedRuns(db, { count: 5, prefix: 'live', stacks: ['default', 'default'] });
        const [artifact] = await db.listArtifacts({ limit: 1 });
        for (let i = 0; i < 2; i++)
          await db.registerModelVersion({
            model: 'clf',
            artifactId: artifact!.id,
            runId: null,
            metrics: { acc: 0.9 + i / 100 },
            metadata: null,
          });
        await db.registerModelVersion({
          model: 'gated',
          artifactId: artifact!.id,
          runId: null,
          metrics: { acc: 0.5 },
          metadata: { blessed: false, gateReason: 'Not blessed: acc 0.5 is below the threshold 0.9.' },
        });
        await db.registerModelVersion({
          model: 'plain',
          artifactId: artifact!.id,
          runId: null,
          metrics: {},
          metadata: { adapter: 'byHand' },
        });
      } finally {
        await db.close();
      }
      tokens = {
        read: await tokenOf(project, 'reader', 'read'),
        write: await tokenOf(project, 'ci', 'write'),
        admin: await tokenOf(project, 'ops', 'admin'),
      };
      server = await startServerProcess(project.root, { env: project.env });
      url = server.url;
    });

    afterAll(async () => {
      await server?.stop();
      await project?.dispose();
      await target.dispose();
    });

    it('refuses to listen beyond loopback without a token, and with one requires it on loopback too', async () => {
      const fresh = await createServerTestProject(await target.url());
      try {
        const r = await fresh.strata('server', 'start', '--host', '0.0.0.0', '--port', '0');
        expect(r.code).toBe(2);
        expect(r.stderr).toContain('refusing to listen on 0.0.0.0 without authentication');
      } finally {
        await fresh.dispose();
      }
      expect((await fetch(`${url}/api/v1/runs`)).status).toBe(401);
      expect((await client(tokens.read).server()).principal).toEqual({ name: 'reader', scope: 'read' });
    });

    it('answers 401 to no, malformed and unknown tokens, 403 to a read token that writes', async () => {
      const status = async (init: RequestInit & { path?: string } = {}) =>
        (await fetch(`${url}/api/v1${init.path ?? '/runs'}`, init)).status;
      expect(await status()).toBe(401);
      expect(await status({ headers: { authorization: 'Bearer nope' } })).toBe(401);
      expect(await status({ headers: { authorization: `Bearer ${tokens.read.slice(0, -2)}xx` } })).toBe(401);
      expect(await status({ headers: { authorization: `Bearer ${tokens.read}` } })).toBe(200);
      // Each failure is in the server's log (--json) with where it came from and why; the token never is.
      const wrong = server
        .log()
        .split('\n')
        .filter((l) => l.includes('"authentication failed"'))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(wrong.slice(-3)).toEqual([
        expect.objectContaining({
          method: 'GET',
          path: '/api/v1/runs',
          remote: expect.stringMatching(/^(127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)$/),
          reason: 'no Authorization header',
        }),
        expect.objectContaining({ reason: 'not a Strata token' }),
        expect.objectContaining({ reason: 'wrong secret', tokenId: expect.stringMatching(/^[0-9a-f]{16}$/) }),
      ]);
      expect(server.log()).not.toContain(tokens.read.slice(-20, -2));
      await expect(client(tokens.read).promote('clf', { version: 1, reason: 'r' })).rejects.toMatchObject({
        status: 403,
        code: 'forbidden',
      });
      await expect(client(tokens.read).cancelRun('live-r000002')).rejects.toMatchObject({ status: 403 });
      const audit = await fetch(`${url}/api/v1/audit`, {
        headers: { authorization: `Bearer ${tokens.write}` },
      });
      expect(audit.status).toBe(403);
    });

    it('promotes and rolls back with a write token, recorded in the audit log with who and why', async () => {
      const w = client(tokens.write);
      expect(await w.promote('clf', { version: 1, reason: 'first' })).toMatchObject({
        alias: 'production',
        version: 1,
      });
      expect(await w.promote('clf', { version: 2, reason: 'better' })).toMatchObject({
        version: 2,
        previousVersion: 1,
      });
      expect(await w.rollback('clf', { reason: 'regressed' })).toMatchObject({
        version: 1,
        action: 'rollback',
      });
      const detail = await client(tokens.read).model('clf');
      expect(detail.model.aliases).toEqual({ production: 1 });
      expect(detail.history.map((h) => h.actor)).toEqual(expect.arrayContaining(['api:ci']));
      const audit = (await (
        await fetch(`${url}/api/v1/audit?limit=10`, { headers: { authorization: `Bearer ${tokens.admin}` } })
      ).json()) as { actor: string; action: string; reason: string; outcome: string }[];
      expect(audit.slice(0, 3).map((a) => [a.actor, a.action, a.reason, a.outcome])).toEqual([
        ['ci', 'model.rollback', 'regressed', 'ok'],
        ['ci', 'model.promote', 'better', 'ok'],
        ['ci', 'model.promote', 'first', 'ok'],
      ]);
    });

    it('refuses to promote a version its gate did not bless (409, nothing moved, audited) unless "force": true', async () => {
      const w = client(tokens.write);
      const refused = (await w.promote('gated', { version: 1, reason: 'try' }).catch((e: unknown) => e)) as {
        status: number;
        code: string;
        message: string;
        fix: string;
      };
      expect(refused).toMatchObject({ status: 409, code: 'model_not_blessed' });
      expect(refused.message).toContain('gated v1 was not blessed');
      expect(refused.message).toContain('acc 0.5 is below the threshold 0.9');
      expect(refused.fix).toContain('"force": true');
      expect((await client(tokens.read).model('gated')).model.aliases).toEqual({});

      const forced = await w.promote('gated', { version: 1, reason: 'hotfix', force: true });
      expect(forced).toMatchObject({ version: 1, forced: true, gate: { state: 'not_blessed' } });
      expect(forced.reason).toBe(
        'hotfix [forced past the gate: Not blessed: acc 0.5 is below the threshold 0.9.]',
      );
      const detail = await client(tokens.read).model('gated');
      expect(detail.model.aliases).toEqual({ production: 1 });
      expect(detail.history.at(-1)?.reason).toBe(forced.reason);
      // A version without a gate record is promoted, and the answer says it was never gated.
      expect(await w.promote('plain', { version: 1, reason: 'no gate' })).toMatchObject({
        forced: false,
        gate: { state: 'not_gated', reason: null },
      });
      const audit = (await (
        await fetch(`${url}/api/v1/audit?limit=10`, { headers: { authorization: `Bearer ${tokens.admin}` } })
      ).json()) as { action: string; target: string; outcome: string; detail: unknown }[];
      expect(audit.slice(0, 3).map((a) => [a.target, a.outcome, a.detail])).toEqual([
        ['plain@production', 'ok', { version: 1, force: false }],
        ['gated@production', 'ok', { version: 1, force: true }],
        ['gated@production', 'model_not_blessed', { version: 1, force: false }],
      ]);
    });

    it('cancels a running run (409 for a finished one), audited even when refused', async () => {
      const w = client(tokens.write);
      // seedRuns: i % 5 == 2 is running, 0 completed
      expect(await w.cancelRun('live-r000002', { reason: 'stuck' })).toEqual({
        runId: 'live-r000002',
        status: 'cancelled',
      });
      expect((await w.run('live-r000002')).status).toBe('cancelled');
      await expect(w.cancelRun('live-r000000', { reason: 'x' })).rejects.toMatchObject({
        status: 409,
        code: 'run_finished',
      });
      const audit = (await (
        await fetch(`${url}/api/v1/audit?limit=2`, { headers: { authorization: `Bearer ${tokens.admin}` } })
      ).json()) as { action: string; outcome: string }[];
      expect(audit.map((a) => [a.action, a.outcome])).toEqual([
        ['run.cancel', 'run_finished'],
        ['run.cancel', 'ok'],
      ]);
    });

    it('resumes a failed run in a new process with a write token (403 to read, 409 to a completed run), audited', async () => {
      // A pipeline that fails while fail.flag exists in the project: the resume runs in the server's
      // project folder, so removing the flag lets the resumed run finish.
      await writeFile(`${project.root}/flaky.ts`, FLAKY_PIPELINE);
      await writeFile(`${project.root}/fail.flag`, '');
      const failedRun = await project.strata('run', 'flaky.ts');
      expect(failedRun.code).not.toBe(0);
      await rm(`${project.root}/fail.flag`);
      const r = client(tokens.read);
      const [failed] = (await r.runs({ pipeline: 'flaky' })).items;
      expect(failed).toMatchObject({ status: 'failed' });
      await expect(r.resumeRun(failed!.id, { reason: 'x' })).rejects.toMatchObject({
        status: 403,
        code: 'forbidden',
      });
      const w = client(tokens.write);
      await expect(w.resumeRun('live-r000000', { reason: 'x' })).rejects.toMatchObject({
        status: 409,
        code: 'run_not_resumable',
      });
      const started = await w.resumeRun(failed!.id, { reason: 'flag removed' });
      expect(started).toMatchObject({ runId: failed!.id, pid: expect.any(Number) });
      let resumed: Awaited<ReturnType<StrataClient['run']>> | undefined;
      for (const deadline = Date.now() + 120_000; Date.now() < deadline; ) {
        resumed = (await r.runs({ pipeline: 'flaky' })).items.find((x) => x.resumedFrom === failed!.id);
        if (resumed && !['pending', 'running'].includes(resumed.status)) break;
        await new Promise((res) => setTimeout(res, 250));
      }
      expect(resumed, 'no run resumed from the failed one within 120 s').toMatchObject({
        status: 'completed',
      });
      const steps = await r.steps(resumed!.id);
      expect(Object.fromEntries(steps.map((s) => [s.nodeId, s.status]))).toEqual({
        first: 'cached',
        second: 'completed',
      });
      const audit = (await (
        await fetch(`${url}/api/v1/audit?limit=3`, { headers: { authorization: `Bearer ${tokens.admin}` } })
      ).json()) as { actor: string; action: string; target: string; reason: string; outcome: string }[];
      expect(audit.slice(0, 2).map((a) => [a.actor, a.action, a.target, a.reason, a.outcome])).toEqual([
        ['ci', 'run.resume', failed!.id, 'flag removed', 'ok'],
        ['ci', 'run.resume', 'live-r000000', 'x', 'run_not_resumable'],
      ]);
    });

    it('refuses oversized and malformed bodies and unknown fields, changing nothing', async () => {
      const post = (body: string, type = 'application/json') =>
        fetch(`${url}/api/v1/models/clf/promote`, {
          method: 'POST',
          headers: { authorization: `Bearer ${tokens.write}`, 'content-type': type },
          body,
        });
      const big = await post(JSON.stringify({ version: 2, reason: 'x'.repeat(200_000) }));
      expect(big.status).toBe(413);
      // Answered before the body was read: the connection is not reused for the next request.
      expect(big.headers.get('connection')).toBe('close');
      const malformed = await post('{"version": 2,');
      expect(malformed.status).toBe(400);
      expect(((await malformed.json()) as { error: { code: string } }).error.code).toBe('malformed_json');
      const extra = await post(JSON.stringify({ version: 2, reason: 'x', admin: true }));
      expect(extra.status).toBe(400);
      const negative = await post(JSON.stringify({ version: -1, reason: 'x' }));
      expect(((await negative.json()) as { error: { field: string } }).error.field).toBe('json.version');
      expect((await client(tokens.read).model('clf')).model.aliases).toEqual({ production: 1 });
    });

    it('delivers run and step events live, and a reconnect with Last-Event-ID misses nothing', async () => {
      const api = client(tokens.read);
      const all = collectEvents(api);
      const first = collectEvents(api);
      await Promise.all([all.ready, first.ready]);
      // This test's own runs, by id: the tests before ran pipelines too, and their last events may
      // still reach `all` after it subscribed (on a loaded machine), so counting completions misleads.
      const completed = (es: StrataEvent[], runId: string) =>
        es.some((e) => e.type === 'run' && e.data.runId === runId && e.data.status === 'completed');
      const started = Date.now();
      const one = await project.strata('run', 'demo.ts');
      expect(one.code).toBe(0);
      await all.until((es) => completed(es, runIdOf(one.stdout)));
      const latency = Date.now() - started;
      expect(latency).toBeLessThan(60_000);
      await first.until((es) => es.length >= 2);
      await first.stop();
      const lastSeen = first.events[1]!.id;
      // Another run while disconnected; then resume from the second event.
      const two = await project.strata('run', 'demo.ts');
      expect(two.code).toBe(0);
      await all.until((es) => completed(es, runIdOf(two.stdout)));
      const resumed = collectEvents(api, { lastEventId: lastSeen });
      // By id, not by count: the last events of the test before may reach `all` just before `first`
      // subscribes, so `first`'s second event is not always `all`'s.
      const after = () => all.events.filter((e) => Number(e.id) > Number(lastSeen)).map((e) => e.id);
      await resumed.until((es) => es.length >= after().length);
      await new Promise((r) => setTimeout(r, 300));
      expect(resumed.events.map((e) => e.id)).toEqual(after());
      expect(all.events.map((e) => e.type)).toEqual(expect.arrayContaining(['run', 'step']));
      // Log lines written by any process arrive as log events (the demo's steps are cached: no logs).
      const db = await openDatabase(project.env.STRATA_DATABASE_URL ?? `${project.root}/.strata/strata.db`);
      try {
        await db.appendLogs([
          { stepRunId: 'live-r000001/s0', seq: 1, at: Date.now(), level: 'info', message: 'hello' },
        ]);
      } finally {
        await db.close();
      }
      await all.until((es) => es.some((e) => e.type === 'log' && e.data.message === 'hello'));
      expect(all.events.at(-1)).toMatchObject({
        type: 'log',
        data: { runId: 'live-r000001', stepRunId: 'live-r000001/s0', seq: 1 },
      });
      await Promise.all([all.stop(), resumed.stop()]);
      const bad = await fetch(`${url}/api/v1/events`, {
        headers: { authorization: `Bearer ${tokens.read}`, 'last-event-id': '1; drop table runs' },
      });
      expect(bad.status).toBe(400);
    });

    it('rate-limits failed authentication per address, and a revoked token stops working at once', async () => {
      const reader = client(tokens.read);
      expect((await reader.pipelines()).length).toBeGreaterThan(0);
      const revoked = await project.strata('server', 'token', 'revoke', 'reader');
      expect(revoked.code, revoked.stderr).toBe(0);
      await expect(reader.pipelines()).rejects.toMatchObject({ status: 401 });
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) {
        statuses.push(
          (
            await fetch(`${url}/api/v1/runs`, {
              headers: {
                authorization: 'Bearer strata_0000000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
              },
            })
          ).status,
        );
      }
      expect(statuses).toContain(429);
      const limited = await fetch(`${url}/api/v1/runs`, {
        headers: { authorization: `Bearer ${tokens.admin}` },
      });
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    });

    it('never writes a token to its log or its database', async () => {
      const log = server.log();
      for (const t of Object.values(tokens)) {
        expect(log).not.toContain(t);
        expect(log).not.toContain(secretOf(t));
      }
      const db = await openDatabase(project.env.STRATA_DATABASE_URL ?? `${project.root}/.strata/strata.db`);
      try {
        const { exportToStream } = await import('@strata/metadata');
        const chunks: string[] = [];
        const { Writable } = await import('node:stream');
        await exportToStream(
          db,
          new Writable({
            write(c, _e, cb) {
              chunks.push(String(c));
              cb();
            },
          }),
        );
        const dump = chunks.join('');
        expect(dump).toContain('scrypt$');
        for (const t of Object.values(tokens)) expect(dump).not.toContain(secretOf(t));
      } finally {
        await db.close();
      }
      expect(await readFile(`${project.root}/.strata/config.json`, 'utf8')).not.toContain('strata_');
    });
  });
}

/** The run id `strata run` printed ("run r-… completed"). */
function runIdOf(stdout: string): string {
  const id = /^run (r-\S+) completed$/m.exec(stdout)?.[1];
  if (!id) throw new Error(`no completed run in strata run's output: ${stdout}`);
  return id;
}
