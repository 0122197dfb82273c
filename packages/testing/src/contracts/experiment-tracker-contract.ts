import { randomUUID } from 'node:crypto';
import type { ExperimentTracker, TrackedRunEnd, TrackerRun } from '@strata/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** What the tracker recorded for one run, read back through the tracker's own API or files. */
export interface RecordedRun {
  /** `completed`, `failed` or `cancelled` once finished (map the tracker's own words to these). */
  readonly status: string;
  readonly params: Readonly<Record<string, string>>;
  /** Metric key -> last value. */
  readonly metrics: Readonly<Record<string, number>>;
  /** Tags/labels; must include `strata.run_id`. */
  readonly tags: Readonly<Record<string, string>>;
}

export interface ExperimentTrackerHarness {
  readonly tracker: ExperimentTracker;
  read(run: TrackerRun): Promise<RecordedRun>;
  cleanup(): Promise<void>;
}

const end = (status: TrackedRunEnd['status'], loss: number): TrackedRunEnd => ({
  status,
  endedAt: Date.now(),
  error: status === 'failed' ? 'step train failed: boom' : null,
  steps: [
    {
      nodeId: 'train',
      mapIndex: -1,
      status: status === 'failed' ? 'failed' : 'completed',
      startedAt: Date.now() - 1000,
      endedAt: Date.now(),
      cacheReason: 'miss: no earlier run',
      metadata: { loss, note: 'text metadata', nested: { auc: 0.75 } },
    },
  ],
});

/**
 * The behaviour every ExperimentTracker flavor must have: a started run carries the pipeline's
 * params and a tag back to the Strata run; finishing it records each step's numeric metadata as
 * metrics (`<step>.<key>`, nested keys joined by '.') and the final status; runs never mix.
 */
export function describeExperimentTrackerContract(
  name: string,
  setup: () => Promise<ExperimentTrackerHarness>,
): void {
  describe(`ExperimentTracker contract: ${name}`, () => {
    let h: ExperimentTrackerHarness;
    const pipeline = `contract-${randomUUID().slice(0, 8)}`;
    const start = (runId: string) =>
      h.tracker.startRun({
        runId,
        runName: `${pipeline}-${runId}`,
        pipeline,
        stack: 'contract',
        params: { trees: 5, model: { depth: 3 } },
        startedAt: Date.now(),
        resumedFrom: null,
      });

    beforeAll(async () => {
      h = await setup();
    });
    afterAll(() => h?.cleanup());

    it('records params, a tag back to the Strata run, step metrics and the final status', async () => {
      const run = await start('r-contract-1');
      expect(run.id).toMatch(/\S/);
      expect(run.url === null || typeof run.url === 'string').toBe(true);
      const started = await h.read(run);
      expect(started.params).toMatchObject({ trees: '5', 'model.depth': '3' });
      expect(started.tags['strata.run_id']).toBe('r-contract-1');
      await h.tracker.finishRun(run, end('completed', 0.25));
      const finished = await h.read(run);
      expect(finished.status).toBe('completed');
      expect(finished.metrics['train.loss']).toBe(0.25);
      expect(finished.metrics['train.nested.auc']).toBe(0.75);
    });

    it('records a failed run as failed, and keeps concurrent runs apart', async () => {
      const [a, b] = await Promise.all([start('r-contract-a'), start('r-contract-b')]);
      expect(a.id).not.toBe(b.id);
      await Promise.all([
        h.tracker.finishRun(a, end('failed', 1)),
        h.tracker.finishRun(b, end('completed', 2)),
      ]);
      const [ra, rb] = await Promise.all([h.read(a), h.read(b)]);
      expect([ra.status, ra.metrics['train.loss'], ra.tags['strata.run_id']]).toEqual([
        'failed',
        1,
        'r-contract-a',
      ]);
      expect([rb.status, rb.metrics['train.loss'], rb.tags['strata.run_id']]).toEqual([
        'completed',
        2,
        'r-contract-b',
      ]);
    });
  });
}
