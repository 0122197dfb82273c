import type { ServingWindowRecord } from './trigger-records.js';

/** What a model server adds to a feedback window per labelled prediction. */
export interface FeedbackStats {
  /** Labelled predictions. */
  readonly n: number;
  /** Correct ones (classification). */
  readonly correct: number;
  /** Summed absolute error (regression). */
  readonly absError: number;
}

export interface LiveQuality {
  readonly n: number;
  /** Share of correct predictions; null without classification feedback. */
  readonly accuracy: number | null;
  /** Mean absolute error; null without regression feedback. */
  readonly mae: number | null;
}

export const emptyFeedback: FeedbackStats = { n: 0, correct: 0, absError: 0 };

export function addFeedback(a: FeedbackStats, b: FeedbackStats): FeedbackStats {
  return { n: a.n + b.n, correct: a.correct + b.correct, absError: a.absError + b.absError };
}

export function feedbackOf(window: ServingWindowRecord): FeedbackStats {
  const s = (window.stats ?? {}) as Partial<FeedbackStats>;
  return { n: Number(s.n ?? 0), correct: Number(s.correct ?? 0), absError: Number(s.absError ?? 0) };
}

/**
 * Live quality of a model version over its feedback windows: the one computation behind the
 * model-health trigger and the model server's automatic rollback.
 */
export function liveQuality(
  windows: readonly ServingWindowRecord[],
  task?: 'classification' | 'regression',
): LiveQuality {
  const total = windows
    .filter((w) => w.kind === 'feedback')
    .map(feedbackOf)
    .reduce(addFeedback, emptyFeedback);
  return qualityOf(total, task);
}

/** Live quality from summed feedback (what liveQuality and the model server's QualityWatch both use). */
export function qualityOf(total: FeedbackStats, task?: 'classification' | 'regression'): LiveQuality {
  if (total.n === 0) return { n: 0, accuracy: null, mae: null };
  return {
    n: total.n,
    accuracy: task === 'regression' ? null : total.correct / total.n,
    mae: task === 'classification' ? null : total.absError / total.n,
  };
}

/** The window a timestamp falls in (windows are aligned to multiples of their length). */
export function windowStartOf(at: number, windowMs: number): number {
  return Math.floor(at / windowMs) * windowMs;
}
