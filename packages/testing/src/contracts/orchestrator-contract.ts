import { mkdtemp, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type RunRecord, resumeRun, type Stack, type StepRunRecord } from '@strata/core';
import { cancelRun } from '@strata/core/plugin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cancelPipeline,
  componentsPipeline,
  conditionPipeline,
  failurePipeline,
  logsPipeline,
  mapPipeline,
  orderPipeline,
  parallelPipeline,
  prepareExecutions,
  resumePipeline,
  retryPipeline,
} from './orchestrator-pipelines.js';

export interface OrchestratorHarness {
  /** A stack whose orchestrator is the one under test, with `component` among its components. */
  readonly stack: Stack;
  /**
   * A directory the steps can read and write wherever this orchestrator runs them (a child process,
   * a container with the directory mounted, a worker on this host): the suite creates one fresh
   * sub-directory per test in it for the steps' markers.
   */
  readonly sharedDir: string;
  /** Step instances this stack runs at once: 1 means steps must never overlap; more, that they do. */
  readonly concurrency: number;
  /** A component of the stack besides its orchestrator and artifact store that steps must reach. */
  readonly component: { readonly type: string; readonly flavor: string };
  cleanup(): Promise<void>;
}

export interface OrchestratorContractOptions {
  /** Per-test limit (default 180 s: remote orchestrators start containers or workers per step). */
  readonly timeoutMs?: number;
}

const byNode = async (stack: Stack, runId: string) => {
  const rows = await stack.database.listStepRuns(runId);
  const out: Record<string, StepRunRecord> = {};
  for (const r of rows) out[r.mapIndex >= 0 ? `${r.nodeId}[${r.mapIndex}]` : r.nodeId] = r;
  return out;
};

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`orchestrator contract: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * The behaviour every Orchestrator flavor must have, as a vitest `describe` block: it runs small
 * pipelines (orchestrator-pipelines.ts) on the harness's stack and checks, from the metadata store
 * only, that steps run in dependency order, independent steps overlap (or never, at concurrency 1),
 * mapped steps fan out and in, `when` branches are taken or skipped, a failure fails the run and
 * skips what depends on it, retries re-run a step, a cancel stops a running step, a resume re-runs
 * only what failed, steps reach the stack's components through `ctx.component`, and what a step
 * logs is stored with its step run.
 */
export function describeOrchestratorContract(
  name: string,
  setup: () => Promise<OrchestratorHarness>,
  options: OrchestratorContractOptions = {},
): void {
  const timeout = options.timeoutMs ?? 180_000;
  describe(`Orchestrator contract: ${name}`, () => {
    let h: OrchestratorHarness;
    const fresh = () => mkdtemp(join(h.sharedDir, 'contract-'));
    const finished = async (runId: string, within = timeout - 10_000): Promise<RunRecord> =>
      until(
        `run ${runId} to end`,
        async () => {
          const run = await h.stack.database.getRun(runId);
          return run && run.endedAt !== null && run.status !== 'running' ? run : undefined;
        },
        within,
      );

    beforeAll(async () => {
      h = await setup();
    }, timeout);
    afterAll(() => h?.cleanup(), timeout);

    it('runs steps after the steps they depend on (data and `after`)', { timeout }, async () => {
      const dir = await fresh();
      const handle = await orderPipeline.run({ stack: h.stack, params: { dir }, noCache: true });
      const run = await finished(handle.id);
      expect(run.error).toBeNull();
      expect(run.status).toBe('completed');
      expect(await handle.output<string[]>('third', 'trail')).toEqual(['first', 'second', 'third']);
      const rows = await byNode(h.stack, run.id);
      for (const [before, then] of [
        ['first', 'second'],
        ['second', 'third'],
        ['third', 'last'],
      ] as const) {
        expect(rows[then]?.startedAt, `${then} starts after ${before} ended`).toBeGreaterThanOrEqual(
          rows[before]!.endedAt!,
        );
      }
    });

    it('runs independent steps at once, or one at a time at concurrency 1', { timeout }, async () => {
      const dir = await fresh();
      const handle = await parallelPipeline.run({ stack: h.stack, params: { dir, ms: 3000 }, noCache: true });
      const run = await finished(handle.id);
      expect(run.status).toBe('completed');
      const spans = Object.values(await byNode(h.stack, run.id)).map((r) => [r.startedAt!, r.endedAt!]);
      expect(spans).toHaveLength(3);
      const overlaps = spans.flatMap(([s1, e1], i) =>
        spans.slice(i + 1).filter(([s2, e2]) => s1! < e2! && s2! < e1!),
      ).length;
      if (h.concurrency === 1) expect(overlaps, 'steps overlapped at concurrency 1').toBe(0);
      else expect(overlaps, 'no independent steps ran at the same time').toBeGreaterThan(0);
    });

    it('fans a mapped step out to one instance per element and back in, in order', { timeout }, async () => {
      const dir = await fresh();
      const handle = await mapPipeline.run({ stack: h.stack, params: { dir, count: 5 }, noCache: true });
      const run = await finished(handle.id);
      expect(run.error).toBeNull();
      expect(await handle.output<number[]>('square', 'value')).toEqual([0, 1, 4, 9, 16]);
      expect(await handle.output<number>('total', 'sum')).toBe(30);
      const rows = await byNode(h.stack, run.id);
      for (let i = 0; i < 5; i++) expect(rows[`square[${i}]`]?.status).toBe('completed');
    });

    it('runs the `when` branch whose condition holds and skips the other', { timeout }, async () => {
      const dir = await fresh();
      const handle = await conditionPipeline.run({
        stack: h.stack,
        params: { dir, value: 0.3 },
        noCache: true,
      });
      const run = await finished(handle.id);
      expect(run.status).toBe('completed');
      const rows = await byNode(h.stack, run.id);
      expect(rows.low?.status).toBe('completed');
      expect(rows.high?.status).toBe('skipped');
      expect(await handle.output<string>('low', 'taken')).toBe('low');
    });

    it('fails the run on a failed step, skips its dependents and keeps the error', { timeout }, async () => {
      const dir = await fresh();
      const handle = await failurePipeline.run({ stack: h.stack, params: { dir }, noCache: true });
      const run = await finished(handle.id);
      expect(run.status).toBe('failed');
      const rows = await byNode(h.stack, run.id);
      expect(rows.boom?.status).toBe('failed');
      expect(rows.boom?.error).toContain('contract failure: boom');
      expect(rows.downstream?.status).toBe('skipped');
      // Not fail-fast: the independent branch still ran to the end.
      expect(rows.sibling?.status).toBe('completed');
    });

    it('retries a failing step up to its policy and records the attempt', { timeout }, async () => {
      const dir = await fresh();
      const handle = await retryPipeline.run({ stack: h.stack, params: { dir, failures: 1 }, noCache: true });
      const run = await finished(handle.id);
      expect(run.error).toBeNull();
      expect(run.status).toBe('completed');
      expect(await handle.output<number>('flaky', 'attempt')).toBe(2);
      expect((await byNode(h.stack, run.id)).flaky?.attempt).toBe(2);
      const exhausted = await retryPipeline.run({
        stack: h.stack,
        params: { dir, failures: 5 },
        noCache: true,
      });
      const failed = await finished(exhausted.id);
      expect(failed.status).toBe('failed');
      const row = (await byNode(h.stack, failed.id)).flaky;
      expect(row?.attempt).toBe(3);
      expect(row?.error).toContain('attempt 3 fails');
    });

    it('cancels a running run: the running step stops and nothing after it runs', { timeout }, async () => {
      const dir = await fresh();
      const handle = await cancelPipeline.run({
        stack: h.stack,
        params: { dir, ms: 120_000 },
        noCache: true,
      });
      await until(
        'the sleepy step to start',
        () =>
          stat(join(dir, 'sleepy-started')).then(
            () => true,
            () => undefined,
          ),
        timeout / 2,
      );
      const asked = Date.now();
      await cancelRun(h.stack, handle.id);
      const run = await finished(handle.id, 60_000);
      expect(run.status).toBe('cancelled');
      expect(Date.now() - asked, 'the run ended well before the step would have').toBeLessThan(60_000);
      const rows = await byNode(h.stack, run.id);
      expect(rows.sleepy?.status).not.toBe('completed');
      expect(rows.wake?.status).not.toBe('completed');
      expect(
        await stat(join(dir, 'sleepy-finished')).then(
          () => true,
          () => false,
        ),
      ).toBe(false);
    });

    it('resumes a failed run: only the failed step and what follows it run again', { timeout }, async () => {
      const dir = await fresh();
      const handle = await resumePipeline.run({ stack: h.stack, params: { dir } });
      const failed = await finished(handle.id);
      expect(failed.status).toBe('failed');
      expect((await byNode(h.stack, failed.id)).finish?.status).toBe('skipped');
      await writeFile(join(dir, 'fixed'), '');
      const resumed = await resumeRun(failed.id, resumePipeline, { stack: h.stack });
      const run = await finished(resumed.id);
      expect(run.error).toBeNull();
      expect(run.status).toBe('completed');
      expect(await resumed.output<number>('finish', 'value')).toBe(42);
      const rows = await byNode(h.stack, run.id);
      expect(rows.prepare?.cachedFrom, 'prepare was reused from the failed run').not.toBeNull();
      expect(rows.fragile?.cachedFrom).toBeNull();
      expect(await prepareExecutions(dir)).toBe(1);
    });

    it("gives steps the stack's components through ctx.component", { timeout }, async () => {
      const dir = await fresh();
      const { type, flavor } = h.component;
      const handle = await componentsPipeline.run({ stack: h.stack, params: { dir, type }, noCache: true });
      const run = await finished(handle.id);
      expect(run.error).toBeNull();
      expect(run.status).toBe('completed');
      expect(await handle.output<string>('reach', 'flavor')).toBe(flavor);
    });

    it('stores what a step logs (lines in order with levels, and metadata) with its step run', {
      timeout,
    }, async () => {
      const dir = await fresh();
      const handle = await logsPipeline.run({ stack: h.stack, params: { dir }, noCache: true });
      const run = await finished(handle.id);
      expect(run.status).toBe('completed');
      const row = (await byNode(h.stack, run.id)).chatty!;
      // A detached orchestrator may store the lines just after the step row: give them a moment.
      const lines = await until(
        'the step log lines',
        async () => {
          const found = (await h.stack.database.readLogs({ stepRunId: row.id })).filter((l) =>
            l.message.includes('contract log:'),
          );
          return found.length >= 3 ? found : undefined;
        },
        30_000,
      );
      expect(lines.map((l) => [l.level, l.message])).toEqual([
        ['info', 'contract log: first line'],
        ['warn', 'contract log: a warning'],
        ['info', 'contract log: last line'],
      ]);
      expect(await h.stack.database.getMetadata('step_run', row.id)).toMatchObject({
        accuracy: 0.75,
        note: 'contract',
      });
    });
  });
}
