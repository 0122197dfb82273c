import { addFeedback, emptyFeedback, type FeedbackStats, qualityOf } from '@strata/core/plugin';
import type { Target, Task } from '../models/adapter.js';

export interface QualityWatchOptions {
  /** How much worse the new version's live metric may be than the previous version's. Default 0.05. */
  readonly margin: number;
  /** Labelled predictions the new version needs before it is judged. Default 20. */
  readonly minLabelled: number;
  /** Predictions remembered for feedback (oldest forgotten first). Default 100 000. */
  readonly capacity: number;
}

export const defaultQualityWatch: QualityWatchOptions = { margin: 0.05, minLabelled: 20, capacity: 100_000 };

export interface LiveMetric {
  /** `accuracy` (higher is better) or `mae` (lower is better). */
  readonly name: 'accuracy' | 'mae';
  readonly value: number;
  readonly labelled: number;
}

export interface QualityVerdict {
  readonly degraded: boolean;
  readonly reason: string;
}

/**
 * Live quality per model version from feedback: every prediction gets an id; when its true label or
 * value arrives it is scored against the version that made it. Pure bookkeeping, no I/O.
 */
export class QualityWatch {
  private readonly predictions = new Map<string, { version: number; predicted: Target }>();
  private readonly scores = new Map<number, FeedbackStats>();

  constructor(
    private readonly task: Task,
    readonly options: QualityWatchOptions = defaultQualityWatch,
  ) {}

  get metricName(): LiveMetric['name'] {
    return this.task === 'classification' ? 'accuracy' : 'mae';
  }

  remember(id: string, version: number, predicted: Target): void {
    this.predictions.set(id, { version, predicted });
    if (this.predictions.size > this.options.capacity) {
      const oldest = this.predictions.keys().next().value;
      if (oldest !== undefined) this.predictions.delete(oldest);
    }
  }

  /** Scores one feedback item; returns the version it counted for, or undefined for an unknown id. */
  feedback(id: string, actual: Target): number | undefined {
    return this.score(id, actual)?.version;
  }

  /** Scores one feedback item and returns what it adds to its version's feedback (for the store too). */
  score(id: string, actual: Target): { version: number; stats: FeedbackStats } | undefined {
    const prediction = this.predictions.get(id);
    if (!prediction) return undefined;
    this.predictions.delete(id);
    const classification = this.task === 'classification';
    const stats: FeedbackStats = {
      n: 1,
      correct: classification && String(prediction.predicted) === String(actual) ? 1 : 0,
      absError: classification ? 0 : Math.abs(Number(prediction.predicted) - Number(actual)),
    };
    this.scores.set(
      prediction.version,
      addFeedback(this.scores.get(prediction.version) ?? emptyFeedback, stats),
    );
    return { version: prediction.version, stats };
  }

  /** Live metric of a version: core's qualityOf, the computation the model-health trigger uses too. */
  live(version: number): LiveMetric | undefined {
    const quality = qualityOf(this.scores.get(version) ?? emptyFeedback, this.task);
    const value = this.task === 'classification' ? quality.accuracy : quality.mae;
    if (value === null) return undefined;
    return { name: this.metricName, value, labelled: quality.n };
  }

  /**
   * Whether `current` is live-worse than `previous` by more than the margin, once it has enough
   * labelled predictions. `previousFallback` (its offline eval metric) stands in when the previous
   * version never got feedback.
   */
  judge(current: number, previous: number, previousFallback?: number): QualityVerdict {
    const now = this.live(current);
    const name = this.metricName;
    if (!now || now.labelled < this.options.minLabelled)
      return { degraded: false, reason: `v${current} has ${now?.labelled ?? 0} labelled predictions` };
    const before = this.live(previous)?.value ?? previousFallback;
    if (before === undefined) return { degraded: false, reason: `no ${name} known for v${previous}` };
    const worseBy = name === 'accuracy' ? before - now.value : now.value - before;
    const fmt = (x: number) => Number(x.toFixed(4));
    const reason = `live ${name} of v${current} is ${fmt(now.value)} over ${now.labelled} labelled predictions, v${previous} had ${fmt(before)}: worse by ${fmt(worseBy)} (margin ${this.options.margin})`;
    return { degraded: worseBy > this.options.margin, reason };
  }
}
