// Runs every example of docs/concepts.md.
import { readFile } from 'node:fs/promises';
import { resumeRun } from '@strata/core';
import { createTemporaryStack, runStep, runStepDetailed, type TemporaryStack } from '@strata/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tournament } from './pipelines.js';
import { events, prices } from './reliability.js';
import { ingest } from './resume.js';
import { makeTable, meanScore } from './steps.js';
import { describeLatest } from './time-travel.js';
import { evaluation, whereArtifactsLive } from './where-artifacts-live.js';

let temp: TemporaryStack;
beforeAll(async () => {
  temp = await createTemporaryStack();
});
afterAll(() => temp.cleanup());

const statuses = async (runId: string) =>
  Object.fromEntries(
    (await temp.stack.database.listStepRuns(runId))
      .filter((r) => r.mapIndex < 0)
      .map((r) => [r.nodeId, r.status]),
  );

describe('docs/concepts.md examples', () => {
  it('steps: tables, files, params, logs and metadata', async () => {
    const made = await runStepDetailed(makeTable, {}, { rows: 4 });
    expect(made.outputs.table.numRows).toBe(4);
    expect(await readFile(made.outputs.report.path, 'utf8')).toBe('4 rows\n');
    expect(made.logs.map((l) => l.message)).toEqual(['built 4 rows']);
    expect(made.metadata).toEqual({ rows: 4 });
    expect(await runStep(meanScore, { table: made.outputs.table })).toEqual({ mean: 0.375 });
  });

  it('pipelines: fan-out/fan-in, a condition, after and a run-name template', async () => {
    const handle = await tournament.run({ stack: temp.stack, params: { shards: 4 } });
    const run = await handle.wait();
    expect(run.status).toBe('completed');
    expect(run.name).toMatch(/^tournament-4-shards-/);
    expect(await handle.output('score', 'value')).toEqual([0, 7, 4, 1]);
    expect(await handle.output('publish', 'message')).toBe('published 7');
    const skipped = await (
      await tournament.run({ stack: temp.stack, params: { shards: 4, threshold: 9 } })
    ).wait();
    expect(await statuses(skipped.id)).toMatchObject({ publish: 'skipped', cleanup: 'cached' });
  });

  it('caching, retries and hooks', async () => {
    const first = await (await prices.run({ stack: temp.stack })).wait();
    expect(first.status).toBe('completed');
    expect(events).toEqual(['fetch_prices succeeded on attempt 3']);
    const second = await (await prices.run({ stack: temp.stack })).wait();
    const reasons = Object.fromEntries(
      (await temp.stack.database.listStepRuns(second.id)).map((r) => [r.nodeId, r.cacheReason]),
    );
    expect(reasons).toEqual({
      fetch_prices: `hit: run ${first.id} step fetch_prices`,
      sort_prices: `hit: run ${first.id} step sort_prices`,
      stamp: 'miss: caching disabled for this step',
    });
  });

  it('failure handling and resume', async () => {
    process.env.CONCEPTS_PARSE_BROKEN = '1';
    const failed = await (await ingest.run({ stack: temp.stack, failFast: false })).wait();
    expect(failed.status).toBe('failed');
    expect(failed.error).toBe('step "parse" failed: Error: cannot parse row 2');
    expect(await statuses(failed.id)).toEqual({ download: 'completed', parse: 'failed', audit: 'completed' });
    delete process.env.CONCEPTS_PARSE_BROKEN;
    const resumed = await (await resumeRun(failed.id, ingest, { stack: temp.stack })).wait();
    expect(resumed.status).toBe('completed');
    expect(await statuses(resumed.id)).toEqual({ download: 'cached', parse: 'completed', audit: 'cached' });
  });

  it('the Client', async () => {
    await (await tournament.run({ stack: temp.stack, params: { shards: 3 } })).wait();
    expect(await describeLatest(temp.stack)).toEqual({
      run: expect.stringMatching(/^tournament-3-shards-/),
      value: 7,
      scores: [0, 7, 4],
      reason: expect.stringMatching(/^miss: input `values` content changed$/),
      producedBy: 'best',
      fromInputs: ['values', 'values', 'values'],
      readBy: ['publish'],
    });
  });

  it('process isolation', async () => {
    const isolated = await createTemporaryStack({ isolation: 'process', concurrency: 2 });
    try {
      const run = await (await ingest.run({ stack: isolated.stack })).wait();
      expect(run.status).toBe('completed');
    } finally {
      await isolated.cleanup();
    }
  });

  it('where artifact bytes live: a number inline, an 80 KB array in the store', async () => {
    const run = await (await evaluation.run({ stack: temp.stack })).wait();
    const where = await whereArtifactsLive(temp.stack, run.id);
    expect(where.accuracy).toEqual({ inline: true, value: 0.97 });
    expect(where.weights).toMatchObject({
      inline: false,
      storeKey: expect.stringMatching(/^blobs\/sha256\//),
    });
    expect((await temp.stack.artifactStore.stat(where.weights.storeKey))?.size).toBe(where.weights.size);
  });
});
