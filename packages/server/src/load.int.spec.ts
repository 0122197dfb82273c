import { openDatabase } from '@strata/metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTest, percentile } from './testing/load.js';
import { createServerTestProject, type ServerTestProject } from './testing/project.js';
import { seedRuns } from './testing/seed.js';
import { type ServerProcess, startServerProcess } from './testing/server-process.js';
import { storeTargets } from './testing/targets.js';

for (const target of storeTargets()) {
  describe(`200 concurrent clients on ${target.name} (bounded, loopback)`, { timeout: 300_000 }, () => {
    let project: ServerTestProject;
    let server: ServerProcess;

    beforeAll(async () => {
      project = await createServerTestProject(await target.url());
      const db = await openDatabase(project.env.STRATA_DATABASE_URL ?? `${project.root}/.strata/strata.db`);
      try {
        await seedRuns(db, { count: 500, steps: 3 });
      } finally {
        await db.close();
      }
      server = await startServerProcess(project.root, { env: project.env });
    });

    afterAll(async () => {
      await server?.stop();
      await project?.dispose();
      await target.dispose();
    });

    it('answers every request of 200 clients and keeps serving afterwards', async () => {
      const result = await loadTest({
        url: `${server.url}/api/v1`,
        paths: [
          '/runs?limit=50',
          '/runs/seed-r000007',
          '/runs/seed-r000007/steps',
          '/pipelines',
          '/runs?status=failed&limit=50',
        ],
        clients: 200,
        requests: 1000,
        maxMs: 90_000,
      });
      expect(Object.fromEntries(result.failures)).toEqual({});
      expect(result.latencies.length).toBeGreaterThan(200);
      const rate = (result.latencies.length / result.elapsedMs) * 1000;
      process.stderr.write(
        `[load ${target.name}] ${result.latencies.length} requests in ${Math.round(result.elapsedMs)} ms: ${Math.round(rate)} req/s, p50 ${percentile(result.latencies, 50).toFixed(1)} ms, p99 ${percentile(result.latencies, 99).toFixed(1)} ms\n`,
      );
      const after = await fetch(`${server.url}/api/v1/server`);
      expect(after.status).toBe(200);
    });
  });
}
