import type { AlertEvent } from '@strata/core';
import {
  addFeedback,
  emptyFeedback,
  type FeatureBaseline,
  type FeedbackStats,
  type InputSketch,
  mergeSketches,
  sketchJson,
  sketchRows,
  type TriggerStore,
  windowStartOf,
} from '@strata/core/plugin';
import type { Row } from '../data/table.js';
import type { TrainedModel } from '../models/bundle.js';

export type ServingStore = Pick<TriggerStore, 'mergeServingWindow' | 'pruneServingWindows'>;
export type AlertSink = (event: Omit<AlertEvent, 'at'>) => Promise<unknown>;

/** The training statistics of a version, from its fitted transform: what live inputs are compared to. */
export function baselineOf(bundle: TrainedModel): Record<string, FeatureBaseline> {
  const out: Record<string, FeatureBaseline> = {};
  for (const column of bundle.transform.columns) {
    if (column.kind === 'numeric' && column.scale.kind === 'standard') {
      out[column.name] = { kind: 'numeric', mean: column.scale.mean, std: column.scale.std };
    } else if (column.kind === 'onehot' || column.kind === 'ordinal') {
      out[column.name] = { kind: 'categorical', categories: column.categories };
    }
  }
  return out;
}

/**
 * Buffers what the server sees (input sketches, scored feedback) per version and window, and merges it
 * into the metadata store once a second: one row per model version, window and kind, whatever the
 * traffic (bounded), added up across servers (merge under a row lock). Windows older than the retention
 * are pruned.
 */
export class ServingRecorder {
  private readonly inputs = new Map<string, InputSketch>();
  private readonly feedbackByKey = new Map<string, FeedbackStats>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private flushes = 0;

  constructor(
    private readonly store: ServingStore,
    private readonly model: string,
    readonly windowMs = 60_000,
    private readonly retentionMs = 7 * 24 * 3_600_000,
  ) {
    this.timer = setInterval(() => void this.flush(), 1000);
    this.timer.unref();
  }

  recordInputs(version: number, baseline: Record<string, FeatureBaseline>, rows: readonly Row[]): void {
    const key = `${version}:${windowStartOf(Date.now(), this.windowMs)}`;
    this.inputs.set(key, mergeSketches(this.inputs.get(key), sketchRows(baseline, rows)));
  }

  recordFeedback(version: number, stats: FeedbackStats): void {
    const key = `${version}:${windowStartOf(Date.now(), this.windowMs)}`;
    this.feedbackByKey.set(key, addFeedback(this.feedbackByKey.get(key) ?? emptyFeedback, stats));
  }

  /** Writes what is buffered; resolves when it is in the store. */
  flush(): Promise<void> {
    this.flushing = this.flushing
      .then(() => this.write())
      .catch((error: unknown) => {
        process.stderr.write(
          `model server ${this.model}: serving statistics not recorded: ${(error as Error).message}\n`,
        );
      });
    return this.flushing;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  private async write(): Promise<void> {
    const inputs = [...this.inputs];
    const feedback = [...this.feedbackByKey];
    this.inputs.clear();
    this.feedbackByKey.clear();
    const key = (k: string) => {
      const [version, windowStart] = k.split(':').map(Number) as [number, number];
      return { model: this.model, version, windowStart };
    };
    for (const [k, sketch] of inputs) {
      const n = Math.max(0, ...Object.values(sketch.features).map((f) => f.n));
      await this.store.mergeServingWindow({ ...key(k), kind: 'inputs' }, (prev) => ({
        count: (prev?.count ?? 0) + n,
        stats: sketchJson(mergeSketches(prev?.stats as unknown as InputSketch | undefined, sketch)),
      }));
    }
    for (const [k, stats] of feedback) {
      await this.store.mergeServingWindow({ ...key(k), kind: 'feedback' }, (prev) => {
        const total = addFeedback((prev?.stats as unknown as FeedbackStats | null) ?? emptyFeedback, stats);
        return { count: total.n, stats: { ...total } };
      });
    }
    if (++this.flushes % 60 === 1) await this.store.pruneServingWindows(Date.now() - this.retentionMs);
  }
}
