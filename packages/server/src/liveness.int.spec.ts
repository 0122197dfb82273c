import { copyFile } from 'node:fs/promises';
import { openDatabase } from '@strata/metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type StrataClient } from './client/index.js';
import { collectEvents } from './testing/collect.js';
import { createServerTestProject, type ServerTestProject } from './testing/project.js';
import { type ServerProcess, startServerProcess, workspace } from './testing/server-process.js';

describe('the API reconciles liveness like the CLI readers (real server process, loopback)', {
  timeout: 180_000,
}, () => {
  let project: ServerTestProject;
  let server: ServerProcess;
  let api: StrataClient;
  let runId: string;

  beforeAll(async () => {
    project = await createServerTestProject();
    await copyFile(`${workspace}/examples/concepts/readme.ts`, `${project.root}/demo.ts`);
    const run = await project.strata('run', 'demo.ts');
    expect(run.code, run.stderr).toBe(0);
    runId = /run (r-\S+) completed/.exec(run.stdout + run.stderr)![1]!;
    // Make it a run whose owner died mid-step: still `running`, owned by a machine silent for an hour.
    const db = await openDatabase(`${project.root}/.strata/strata.db`);
    try {
      await db.updateRun(runId, { status: 'running', endedAt: null });
      await db.updateStepRun(`${runId}/scale`, { status: 'running', endedAt: null });
      await db.setOwner({
        runId,
        stepRunId: null,
        owner: { kind: 'process', pid: 4242, host: 'gone-host', bootId: 'b', startTicks: 1 },
        heartbeatAt: Date.now() - 3_600_000,
      });
    } finally {
      await db.close();
    }
    server = await startServerProcess(project.root, { env: project.env });
    api = createClient({ baseUrl: server.url });
  });

  afterAll(async () => {
    await server?.stop();
    await project?.dispose();
  });

  // First, before anything reads the run: an open dashboard page only listens, and nothing else writes.
  it('a listener of the event stream hears the crash without reading the run', async () => {
    const events = collectEvents(api, { types: ['run'] });
    await events.ready;
    try {
      await events.until(
        (all) => all.some((e) => e.type === 'run' && e.data.runId === runId && e.data.status === 'crashed'),
        20_000,
      );
    } finally {
      await events.stop();
    }
  });

  it('a run whose owner is gone is crashed through the API, never running', async () => {
    const listed = await api.runs({ status: 'running' });
    expect(listed.items.map((r) => r.id)).not.toContain(runId);
    const run = await api.run(runId);
    expect(run.status).toBe('crashed');
    expect(run.error).toMatch(/owner gone: no heartbeat from process 4242 on gone-host/);
    const steps = await api.steps(runId);
    expect(steps.filter((s) => s.status === 'running' || s.status === 'pending')).toEqual([]);
    expect(steps.find((s) => s.id === `${runId}/scale`)?.status).toBe('crashed');
  });
});
