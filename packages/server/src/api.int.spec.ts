import { openDatabase } from '@strata/metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, StrataApiError, type StrataClient } from './client/index.js';
import { browse } from './examples/browse.js';
import { createServerTestProject, type ServerTestProject } from './testing/project.js';
import { seedArtifacts, seedRuns } from './testing/seed.js';
import { type ServerProcess, startServerProcess, workspace } from './testing/server-process.js';
import { storeTargets } from './testing/targets.js';

const SEEDED = 3000;
const ARTIFACTS = 450;

for (const target of storeTargets()) {
  describe(`API contract on ${target.name} (real server process, loopback)`, { timeout: 300_000 }, () => {
    let project: ServerTestProject;
    let server: ServerProcess;
    let api: StrataClient;
    let runId: string;

    beforeAll(async () => {
      project = await createServerTestProject(await target.url());
      const { copyFile } = await import('node:fs/promises');
      await copyFile(`${workspace}/examples/concepts/readme.ts`, `${project.root}/demo.ts`);
      const run = await project.strata('run', 'demo.ts');
      expect(run.code, run.stderr).toBe(0);
      runId = /run (r-\S+) completed/.exec(run.stdout + run.stderr)![1]!;
      const db = await openDatabase(project.env.STRATA_DATABASE_URL ?? `${project.root}/.strata/strata.db`);
      try {
        await seedRuns(db, { count: SEEDED });
        await seedArtifacts(db, { count: ARTIFACTS });
        // ctx.log values on the two newest seed-a runs (even i), for the comparison across runs
        await db.addMetadata([
          { ownerType: 'step_run', ownerId: 'seed-r002998/s0', key: 'accuracy', value: 0.91 },
          { ownerType: 'step_run', ownerId: 'seed-r002998/s0', key: 'loss', value: 0.3 },
          { ownerType: 'step_run', ownerId: 'seed-r002996/s0', key: 'accuracy', value: 0.87 },
          { ownerType: 'run', ownerId: 'seed-r002996', key: 'accuracy', value: 0.86 },
        ]);
      } finally {
        await db.close();
      }
      server = await startServerProcess(project.root, { env: project.env });
      api = createClient({ baseUrl: server.url });
    });

    afterAll(async () => {
      await server?.stop();
      await project?.dispose();
      await target.dispose();
    });

    it('GET /server says who and what', async () => {
      const info = await api.server();
      expect(info).toMatchObject({
        api: 'v1',
        database: target.name,
        auth: 'local',
        principal: { scope: 'admin' },
      });
    });

    it('reads a run, its DAG, steps, one step, logs and lineage', async () => {
      const run = await api.run(runId);
      expect(run).toMatchObject({ id: runId, pipelineName: 'demo', status: 'completed' });
      const dag = await api.runDag(runId);
      expect(dag.nodes.map((n) => [n.id, n.status])).toEqual([
        ['load', 'completed'],
        ['scale', 'completed'],
      ]);
      expect(dag.edges).toEqual([
        { from: 'load', to: 'scale', kind: 'data', output: 'rows', input: 'rows', collect: false },
      ]);
      const steps = await api.steps(runId);
      expect(steps.map((s) => s.id).sort()).toEqual([`${runId}/load`, `${runId}/scale`]);
      const scale = await api.step(runId, 'scale');
      expect(scale.params).toEqual({ factor: 10 });
      expect(scale.step.cacheReason).toMatch(/^miss/);
      expect(scale.io.map((io) => [io.type, io.name])).toEqual([
        ['input', 'rows'],
        ['output', 'scaled'],
      ]);
      const logs = await api.logs(runId, { step: 'scale' });
      expect(logs.items.map((l) => l.message)).toContain('scaling 3 rows');
      expect((await api.logs(runId, { level: 'info' })).items.map((l) => l.message)).toContain(
        'scaling 3 rows',
      );
      expect((await api.logs(runId, { level: 'error' })).items).toEqual([]);
      const output = scale.io.find((io) => io.type === 'output')!;
      const preview = await api.preview(output.artifactId);
      expect(preview).toEqual({ type: 'json', value: [10, 20, 30], truncated: false });
      const lineage = await api.artifactLineage(output.artifactId, { direction: 'upstream' });
      expect(lineage.nodes.map((n) => n.id)).toContain(`${runId}/load`);
      const snapshot = await api.snapshot(run.snapshotId);
      expect(snapshot.dag.nodes).toHaveLength(2);
    });

    it('compares ctx.log values across the newest runs of a pipeline', async () => {
      const m = await api.metrics({ pipeline: 'seed-a', keys: ['accuracy'], runs: 2 });
      expect(m.points.map((p) => [p.runId, p.nodeId, p.key, p.value])).toEqual([
        ['seed-r002998', 's0', 'accuracy', 0.91],
        ['seed-r002996', null, 'accuracy', 0.86],
        ['seed-r002996', 's0', 'accuracy', 0.87],
      ]);
      const all = await api.metrics({ pipeline: 'seed-a', runs: 1 });
      expect(all.points.map((p) => p.key).sort()).toEqual(['accuracy', 'loss']);
      expect((await api.metrics({ pipeline: 'seed-a', runs: 1, keys: ['nope'] })).points).toEqual([]);
    });

    it('bounds lineage walks by depth', async () => {
      const scaled = (await api.step(runId, 'scale')).io.find((io) => io.type === 'output')!.artifactId;
      const ids = async (depth: number) =>
        (await api.artifactLineage(scaled, { direction: 'upstream', depth })).nodes.map((n) => [
          n.id,
          n.depth,
        ]);
      expect(await ids(1)).toEqual([
        [scaled, 0],
        [`${runId}/scale`, 1],
      ]);
      expect((await ids(2)).map(([, d]) => d)).toEqual([0, 1, 2]);
      expect(await ids(3)).toContainEqual([`${runId}/load`, 3]);
      const down = await api.runLineage(runId, { direction: 'downstream', depth: 1 });
      expect(Math.max(...down.nodes.map((n) => n.depth))).toBe(1);
      const tooDeep = await fetch(`${server.url}/api/v1/artifacts/${scaled}/lineage?depth=11`);
      expect(tooDeep.status).toBe(400);
      expect(((await tooDeep.json()) as { error: { field: string } }).error.field).toBe('query.depth');
    });

    it('runs the docs/server.md client example', async () => {
      const result = await browse(server.url);
      expect(result).toMatchObject({ runs: 1, nodes: 2, preview: { type: 'json', value: [10, 20, 30] } });
      expect(result.cache).toMatch(/^miss/);
    });

    it('lists pipelines, stacks (no secret references), components and models', async () => {
      expect((await api.pipelines()).map((p) => p.name)).toEqual(['demo', 'seed-a', 'seed-b']);
      const stack = await api.stack('default');
      expect(stack.components.map((c) => c.type).sort()).toEqual([
        'artifact_store',
        'model_registry',
        'orchestrator',
      ]);
      expect(await api.models()).toEqual([]);
    });

    it(`pages through ${SEEDED} seeded runs by keyset without gaps or repeats`, async () => {
      const seen: string[] = [];
      for await (const run of api.allRuns({ pipeline: 'seed-a', limit: 200 })) seen.push(run.id);
      expect(seen).toHaveLength(SEEDED / 2);
      expect(new Set(seen).size).toBe(seen.length);
      expect([...seen].sort().reverse()).toEqual(seen); // newest first (ids follow creation order)
      const failed = await api.runs({ status: 'failed', limit: 200 });
      expect(failed.items.every((r) => r.status === 'failed')).toBe(true);
      let failedCount = 0;
      for await (const r of api.allRuns({ status: ['failed', 'cancelled'], stack: 's1', limit: 200 })) {
        expect(['failed', 'cancelled']).toContain(r.status);
        expect(r.stackName).toBe('s1');
        failedCount++;
      }
      expect(failedCount).toBe(400); // i % 5 in {1,3} and i % 3 == 0: 2/15 of 3000
      const byName = await api.runs({ sort: 'name', order: 'asc', limit: 3, pipeline: 'seed-b' });
      expect(byName.items.map((r) => r.name)).toEqual(['seed run 1', 'seed run 1001', 'seed run 1003']);
      const window = await api.runs({
        from: Date.UTC(2026, 0, 1, 0, 0, 10),
        to: Date.UTC(2026, 0, 1, 0, 0, 20),
        limit: 200,
      });
      expect(window.items).toHaveLength(10);
    });

    it(`pages through ${ARTIFACTS} artifacts by keyset, newest first, ties broken by id`, async () => {
      const seen: { id: string; createdAt: number }[] = [];
      for await (const a of api.allArtifacts({ limit: 100 })) seen.push(a);
      const ids = seen.map((a) => a.id);
      expect(ids.filter((id) => id.startsWith('seed-a'))).toHaveLength(ARTIFACTS);
      expect(new Set(ids).size).toBe(ids.length);
      // newest first, and within one millisecond by id descending: the keyset order
      for (let i = 1; i < seen.length; i++) {
        const [a, b] = [seen[i - 1]!, seen[i]!];
        expect(a.createdAt > b.createdAt || (a.createdAt === b.createdAt && a.id > b.id)).toBe(true);
      }
      const first = await api.artifacts({ kind: 'table', limit: 200 });
      expect(first.items).toHaveLength(200);
      expect(first.items.every((a) => a.kind === 'table')).toBe(true);
      const second = await api.artifacts({ kind: 'table', limit: 200, cursor: first.nextCursor! });
      expect(second.nextCursor).toBeUndefined();
      expect(second.items).toHaveLength(ARTIFACTS / 2 - 200);
      expect(second.items.every((a) => a.kind === 'table' && !first.items.some((f) => f.id === a.id))).toBe(
        true,
      );
      const one = await api.artifacts({ sha256: (7).toString(16).padStart(64, '0') });
      expect(one.items.map((a) => a.id)).toEqual(['seed-a000007']);
      const res = await fetch(`${server.url}/api/v1/artifacts?cursor=bm90LWEtY3Vyc29y`);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_cursor');
    });

    it('refuses bad input with 400 naming the field, and treats injection as data', async () => {
      const bad = async (path: string) => {
        const res = await fetch(`${server.url}/api/v1${path}`);
        return {
          status: res.status,
          body: (await res.json()) as { error: { code: string; field?: string } },
        };
      };
      expect(await bad('/runs?status=bogus')).toMatchObject({
        status: 400,
        body: { error: { field: 'query.status' } },
      });
      expect(await bad('/runs?limit=100000')).toMatchObject({
        status: 400,
        body: { error: { field: 'query.limit' } },
      });
      expect(await bad('/runs?cursor=not-a-cursor')).toMatchObject({
        status: 400,
        body: { error: { code: 'invalid_cursor' } },
      });
      expect(await bad('/runs?from=yesterday')).toMatchObject({
        status: 400,
        body: { error: { field: 'query.from' } },
      });
      const injected = await api.runs({ pipeline: "seed-a' OR '1'='1" });
      expect(injected.items).toEqual([]);
      expect((await api.runs({ stack: "s1'; DROP TABLE runs; --" })).items).toEqual([]);
      expect((await api.artifacts({ kind: "json' OR 1=1 --" })).items).toEqual([]);
      const metrics = await bad(`/metrics?pipeline=${encodeURIComponent("x' OR '1'='1")}&keys=a`);
      expect(metrics.status).toBe(200);
      expect((await api.runs({ limit: 1 })).items).toHaveLength(1); // the tables are still there
      const injectedStatus = await bad("/runs?status=completed'%20OR%201=1--");
      expect(injectedStatus.status).toBe(400);
      expect((await bad('/artifacts/..%2F..%2F..%2Fetc%2Fpasswd')).status).toBe(404);
      expect((await bad('/artifacts/..%2F..%2F..%2Fetc%2Fpasswd/preview')).status).toBe(404);
      await expect(api.run('no-such-run')).rejects.toMatchObject({ status: 404, code: 'unknown_run' });
      await expect(api.run('no-such-run')).rejects.toBeInstanceOf(StrataApiError);
    });

    it('serves an OpenAPI 3.1 document naming every route', async () => {
      const doc = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as {
        openapi: string;
        paths: Record<string, unknown>;
        components: { schemas: Record<string, unknown> };
      };
      expect(doc.openapi).toBe('3.1.0');
      for (const path of [
        '/runs',
        '/runs/{runId}',
        '/runs/{runId}/dag',
        '/runs/{runId}/steps/{node}',
        '/artifacts/{artifactId}/preview',
        '/models/{model}',
        '/stacks/{stack}',
        '/metrics',
      ]) {
        expect(Object.keys(doc.paths)).toContain(path);
      }
      expect(Object.keys(doc.components.schemas)).toEqual(
        expect.arrayContaining(['Run', 'Dag', 'StepRun', 'Error']),
      );
    });
  });
}
