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

interface Score {
  n: number;
  /** Correct predictions (classification) or summed absolute error (regression). */
  sum: number;
}

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
  private readonly scores = new Map<number, Score>();

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
    const prediction = this.predictions.get(id);
    if (!prediction) return undefined;
    this.predictions.delete(id);
    const score = this.scores.get(prediction.version) ?? { n: 0, sum: 0 };
    score.n += 1;
    score.sum +=
      this.task === 'classification'
        ? String(prediction.predicted) === String(actual)
          ? 1
          : 0
        : Math.abs(Number(prediction.predicted) - Number(actual));
    this.scores.set(prediction.version, score);
    return prediction.version;
  }

  live(version: number): LiveMetric | undefined {
    const score = this.scores.get(version);
    if (!score || score.n === 0) return undefined;
    return { name: this.metricName, value: score.sum / score.n, labelled: score.n };
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
