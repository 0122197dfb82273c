import { openDatabase } from '@strata/metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, StrataApiError, type StrataClient } from './client/index.js';
import { browse } from './examples/browse.js';
import { createServerTestProject, type ServerTestProject } from './testing/project.js';
import { seedRuns } from './testing/seed.js';
import { type ServerProcess, startServerProcess, workspace } from './testing/server-process.js';
import { storeTargets } from './testing/targets.js';

const SEEDED = 3000;

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
      const output = scale.io.find((io) => io.type === 'output')!;
      const preview = await api.preview(output.artifactId);
      expect(preview).toEqual({ type: 'json', value: [10, 20, 30], truncated: false });
      const lineage = await api.artifactLineage(output.artifactId, { direction: 'upstream' });
      expect(lineage.nodes.map((n) => n.id)).toContain(`${runId}/load`);
      const snapshot = await api.snapshot(run.snapshotId);
      expect(snapshot.dag.nodes).toHaveLength(2);
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
