import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunRecord, StepRunRecord } from '@strata/core';
import { afterEach, describe, expect, it } from 'vitest';
import { initProject } from './init-project.js';
import { openProject } from './open-project.js';
import { stoppedStepRecorder } from './stopped-step-recorder.js';
import { recordStoppedSteps, type StoppedStepsData } from './stopped-steps.js';

const row = (runId: string, node: string, status: StepRunRecord['status']): StepRunRecord => ({
  id: `${runId}/${node}`,
  runId,
  nodeId: node,
  stepName: node,
  mapIndex: -1,
  status,
  cacheKey: null,
  cacheParts: null,
  cacheReason: null,
  cachedFrom: null,
  attempt: 1,
  startedAt: null,
  endedAt: status === 'completed' ? Date.now() : null,
  error: null,
  errorStack: null,
});

describe('the recorder of steps the blocked-loop watchdog stopped (Temporal workers install it)', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it("names a module that exists and the project's store; records running steps timed_out with their start, leaves ended ones", async () => {
    const root = mkdtempSync(join(tmpdir(), 'strata-stopped-'));
    dirs.push(root);
    await initProject(root);
    const recorder = await stoppedStepRecorder(root);
    expect(recorder).toBeDefined();
    expect(existsSync(fileURLToPath(recorder!.module))).toBe(true);
    const data = recorder!.data as StoppedStepsData;
    expect(data.url).toBe(join(root, '.strata', 'strata.db'));

    const project = await openProject({ cwd: root });
    try {
      const db = project.database;
      const run: RunRecord = {
        id: 'r-stopped',
        name: 'r-stopped',
        pipelineName: 'p',
        snapshotId: 's',
        status: 'running',
        stackName: 'default',
        orchestrator: 'temporal',
        params: {},
        environment: null,
        createdAt: Date.now(),
        startedAt: Date.now(),
        endedAt: null,
        error: null,
        resumedFrom: null,
      };
      await db.createRun(run, [row(run.id, 'spin', 'pending'), row(run.id, 'done', 'completed')]);
      const startedAt = Date.now() - 2000;
      const message = 'step "spin" ran past its timeoutMs of 500 ms without yielding';
      // As the watchdog thread calls it: its own connection, beside the process's open one.
      await recordStoppedSteps(data, [
        { runId: run.id, stepRunId: `${run.id}/spin`, message, startedAt, attempt: 1 },
        { runId: run.id, stepRunId: `${run.id}/done`, message },
      ]);
      expect(await db.getStepRun(`${run.id}/spin`)).toMatchObject({
        status: 'timed_out',
        error: message,
        startedAt,
      });
      expect((await db.getStepRun(`${run.id}/spin`))!.endedAt).toBeGreaterThanOrEqual(startedAt);
      expect(await db.getStepRun(`${run.id}/done`)).toMatchObject({ status: 'completed', error: null });
    } finally {
      await project.close();
    }
  });

  it('an unreachable store is an error naming it without its password', async () => {
    const error = await recordStoppedSteps({ url: 'postgres://strata:s3cret-pw@127.0.0.1:1/strata' }, [
      { runId: 'r', stepRunId: 'r/a', message: 'm' },
    ]).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error!.message).toContain('127.0.0.1:1');
    expect(error!.message).not.toContain('s3cret-pw');
  });

  it('no recorder for an in-memory store (no other connection could reach it)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'strata-stopped-'));
    dirs.push(root);
    await initProject(root);
    const saved = process.env.STRATA_DATABASE_URL;
    process.env.STRATA_DATABASE_URL = ':memory:';
    try {
      expect(await stoppedStepRecorder(root)).toBeUndefined();
    } finally {
      if (saved === undefined) delete process.env.STRATA_DATABASE_URL;
      else process.env.STRATA_DATABASE_URL = saved;
    }
  });
});
