/**
 * The read endpoints the dashboard added: schedules and triggers with their firings, server-side run
 * search, a pipeline's snapshots and a step's attempts. Against a real server process on loopback, on
 * SQLite and PostgreSQL, with runs, schedules and triggers made by the real CLI.
 */
import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, StrataApiError, type StrataClient } from './client/index.js';
import { createServerTestProject, type ServerTestProject } from './testing/project.js';
import { type ServerProcess, startServerProcess, workspace } from './testing/server-process.js';
import { storeTargets } from './testing/targets.js';

// Fails twice, then succeeds: three attempts, two of them retried.
const FLAKY = `import { pipeline, step, t } from '@strata/core';
let calls = 0;
const fetchRows = step({
  name: 'fetch_rows',
  outputs: { n: t.number() },
  retry: { attempts: 3, delayMs: 20 },
  cache: false,
  run: () => {
    calls++;
    if (calls < 3) throw new Error(\`upstream 503 (call \${calls})\`);
    return { n: calls };
  },
});
export const flaky = pipeline({ name: 'flaky', body: () => { fetchRows(); } });
`;

function runIdOf(out: { stdout: string; stderr: string }): string {
  return /run (r-\S+) completed/.exec(out.stdout + out.stderr)![1]!;
}

for (const target of storeTargets()) {
  describe(`dashboard read endpoints on ${target.name}`, { timeout: 300_000 }, () => {
    let project: ServerTestProject;
    let server: ServerProcess;
    let api: StrataClient;
    const runIds: string[] = [];
    let flakyRun: string;

    beforeAll(async () => {
      project = await createServerTestProject(await target.url());
      const { copyFile } = await import('node:fs/promises');
      await copyFile(`${workspace}/examples/concepts/readme.ts`, `${project.root}/demo.ts`);
      await writeFile(`${project.root}/flaky.ts`, FLAKY);
      for (let i = 0; i < 2; i++) {
        const run = await project.strata('run', 'demo.ts');
        expect(run.code, run.stderr).toBe(0);
        runIds.push(runIdOf(run));
      }
      const flaky = await project.strata('run', 'flaky.ts');
      expect(flaky.code, flaky.stderr).toBe(0);
      flakyRun = runIdOf(flaky);
      const schedule = await project.strata(
        'schedule',
        'create',
        'demo.ts',
        '--every',
        '1h',
        '--name',
        'hourly',
      );
      expect(schedule.code, schedule.stderr).toBe(0);
      const paused = await project.strata(
        'schedule',
        'create',
        'demo.ts',
        '--cron',
        '0 3 * * *',
        '--name',
        'nightly',
        '--paused',
      );
      expect(paused.code, paused.stderr).toBe(0);
      const fired = await project.strata('schedule', 'trigger', 'hourly');
      expect(fired.code, fired.stderr).toBe(0);
      const trigger = await project.strata(
        'trigger',
        'create',
        'demo.ts',
        '--on',
        'run-completion',
        '--after',
        'flaky',
        '--name',
        'after-flaky',
      );
      expect(trigger.code, trigger.stderr).toBe(0);
      server = await startServerProcess(project.root, { env: project.env });
      api = createClient({ baseUrl: server.url });
    });

    afterAll(async () => {
      await server?.stop();
      await project?.dispose();
      await target.dispose();
    });

    it('lists schedules with their next firing and their last firing', async () => {
      const before = Date.now();
      const schedules = await api.schedules();
      expect(schedules.map((s) => s.name)).toEqual(['hourly', 'nightly']);
      const [hourly, nightly] = schedules;
      expect(hourly).toMatchObject({ kind: 'schedule', pipeline: 'demo', paused: false, firedBy: 'agent' });
      // Every hour from creation: the next slot is within the coming hour.
      expect(hourly!.nextFiring).toBeGreaterThan(before - 1000);
      expect(hourly!.nextFiring).toBeLessThanOrEqual(Date.now() + 3_600_000);
      expect(hourly!.lastFiring).toMatchObject({ trigger: 'hourly', reason: expect.any(String) });
      expect(hourly!.lastFiring!.runId).toMatch(/^r-/);
      expect(hourly!.firings).toHaveLength(1);
      expect(hourly!.firings[0]!.id).toBe(hourly!.lastFiring!.id);
      // Paused: no next firing, and never fired.
      expect(nightly).toMatchObject({ paused: true, nextFiring: null, lastFiring: null, firings: [] });
      expect(nightly!.condition).toMatchObject({ kind: 'schedule', cron: '0 3 * * *' });
    });

    it('lists triggers apart from schedules', async () => {
      const triggers = await api.triggers({ firings: 0 });
      expect(triggers.map((t) => [t.name, t.kind, t.pipeline])).toEqual([
        ['after-flaky', 'run_completion', 'demo'],
      ]);
      expect(triggers[0]!.nextFiring).toBeNull();
      expect(triggers[0]!.firings).toEqual([]);
      await expect(api.request('/schedules?firings=500')).rejects.toMatchObject({ status: 400 });
    });

    it('searches runs by id or name on the server, every page', async () => {
      // Run names are `{pipeline}-{date}-{time}-{id}`; the match ignores case.
      const byName = await api.runs({ q: 'FLAKY' });
      expect(byName.items.map((r) => r.id)).toEqual([flakyRun]);
      expect((await api.runs({ q: 'Demo-' })).items.map((r) => r.id).sort()).toEqual([...runIds].sort());
      const byId = await api.runs({ q: runIds[0]! });
      expect(byId.items.map((r) => r.id)).toEqual([runIds[0]]);
      // A LIKE wildcard is literal text.
      expect((await api.runs({ q: '%' })).items).toEqual([]);
      // Paged: one run per page, the search holds across the cursor.
      const first = await api.runs({ q: 'r-', limit: 1 });
      expect(first.nextCursor).toBeDefined();
      const second = await api.runs({ q: 'r-', limit: 1, cursor: first.nextCursor! });
      expect(second.items[0]!.id).not.toBe(first.items[0]!.id);
    });

    it("lists a pipeline's snapshots and filters runs by snapshot", async () => {
      const snapshots = await api.pipelineSnapshots('demo');
      expect(snapshots).toHaveLength(1);
      expect(snapshots[0]!.runCount).toBe(2);
      const runs = await api.runs({ snapshot: snapshots[0]!.snapshotId });
      expect(runs.items.map((r) => r.id).sort()).toEqual([...runIds].sort());
      expect(await api.pipelineSnapshots('no-such-pipeline')).toEqual([]);
    });

    it("rebuilds a retried step's attempts: two failures, then the success", async () => {
      const attempts = await api.attempts(flakyRun, 'fetch_rows');
      expect(attempts.map((a) => [a.attempt, a.status])).toEqual([
        [1, 'failed'],
        [2, 'failed'],
        [3, 'completed'],
      ]);
      expect(attempts[0]!.error).toContain('upstream 503 (call 1)');
      expect(attempts[1]!.retryDelayMs).toBeGreaterThanOrEqual(20);
      for (const a of attempts) expect(a.endedAt!).toBeGreaterThanOrEqual(a.startedAt!);
      expect(attempts[1]!.startedAt!).toBeGreaterThanOrEqual(attempts[0]!.endedAt!);
      const once = await api.attempts(runIds[0]!, 'scale');
      expect(once).toHaveLength(1);
      await expect(api.attempts(runIds[0]!, 'nope')).rejects.toBeInstanceOf(StrataApiError);
    });
  });
}
