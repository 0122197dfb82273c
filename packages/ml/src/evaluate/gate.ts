import { round } from '../data/numeric.js';

/** What the gate reads: metrics by name (e.g. a `ModelEvaluation`), and optionally slices of them. */
export interface GateEvaluation {
  readonly metrics: object;
  readonly slices?: readonly {
    readonly column: string;
    readonly slice: string;
    readonly count: number;
    readonly metrics: object;
  }[];
}

export interface GateOptions {
  readonly candidate: GateEvaluation;
  readonly baseline?: GateEvaluation | undefined;
  /** A numeric field of `metrics`, e.g. "accuracy", "macroF1", "rocAuc", "rmse", "r2". */
  readonly metric: string;
  readonly higherIsBetter: boolean;
  /** How much the candidate must beat the baseline by (in the metric's units). Default 0: a tie passes. */
  readonly minImprovement?: number;
  /** How much worse than the baseline any slice may be. Default 0. */
  readonly sliceTolerance?: number;
  /** The candidate must also reach this value (the only check when there is no baseline). */
  readonly absoluteThreshold?: number;
  /** Slices with fewer rows in the candidate evaluation are not compared. Default 1. */
  readonly minSliceCount?: number;
}

export interface SliceRegression {
  readonly column: string;
  readonly slice: string;
  readonly candidate: number;
  readonly baseline: number;
  /** How much worse the candidate is (positive). */
  readonly regression: number;
}

export interface GateDecision {
  readonly blessed: boolean;
  /** Human-readable, names the metric and the numbers. */
  readonly reason: string;
  readonly details: {
    readonly metric: string;
    readonly higherIsBetter: boolean;
    readonly candidate: number | null;
    readonly baseline: number | null;
    /** Improvement over the baseline (positive is better, whichever the metric's direction). */
    readonly improvement: number | null;
    readonly minImprovement: number;
    readonly absoluteThreshold: number | null;
    readonly sliceTolerance: number;
    readonly slicesCompared: number;
    readonly sliceRegressions: SliceRegression[];
  };
}

const EPSILON = 1e-12;

/**
 * Decide whether a candidate model is blessed (may be pushed): it must beat the baseline on
 * `metric` by at least `minImprovement`, no slice may be worse than the baseline's by more than
 * `sliceTolerance`, and it must reach `absoluteThreshold` when one is given. Without a baseline
 * only the threshold applies.
 */
export function decide(options: GateOptions): GateDecision {
  const { metric, higherIsBetter, baseline } = options;
  const minImprovement = options.minImprovement ?? 0;
  const sliceTolerance = options.sliceTolerance ?? 0;
  const threshold = options.absoluteThreshold ?? null;
  const candidateValue = metricOf(options.candidate.metrics, metric);
  const baselineValue = baseline ? metricOf(baseline.metrics, metric) : null;
  const better = (a: number, b: number) => (higherIsBetter ? a - b : b - a);
  const details = {
    metric,
    higherIsBetter,
    candidate: candidateValue,
    baseline: baselineValue,
    improvement:
      candidateValue !== null && baselineValue !== null ? round(better(candidateValue, baselineValue)) : null,
    minImprovement,
    absoluteThreshold: threshold,
    sliceTolerance,
    slicesCompared: 0,
    sliceRegressions: [] as SliceRegression[],
  };

  if (candidateValue === null) {
    return {
      blessed: false,
      reason: `Not blessed: the candidate has no numeric value for metric "${metric}".`,
      details,
    };
  }
  const failures: string[] = [];
  const passes: string[] = [];
  if (threshold !== null) {
    const meets = better(candidateValue, threshold) >= -EPSILON;
    const comparison = higherIsBetter ? (meets ? 'reaches' : 'is below') : meets ? 'is within' : 'exceeds';
    (meets ? passes : failures).push(
      `${metric} ${fmt(candidateValue)} ${comparison} the threshold ${fmt(threshold)}`,
    );
  }
  if (!baseline) {
    if (threshold === null) passes.push(`${metric} is ${fmt(candidateValue)}`);
    return verdict(failures, passes, 'there is no baseline to compare with', details);
  }
  if (baselineValue === null) {
    failures.push(`the baseline has no numeric value for "${metric}" to compare with`);
    return verdict(failures, passes, '', details);
  }

  const improvement = better(candidateValue, baselineValue);
  const gap = `${metric} ${fmt(candidateValue)} vs the baseline's ${fmt(baselineValue)}`;
  if (improvement + EPSILON >= minImprovement) {
    passes.push(`${gap} improves by ${fmt(improvement)} (at least ${fmt(minImprovement)} required)`);
  } else if (improvement >= 0) {
    failures.push(`${gap} improves by only ${fmt(improvement)}; ${fmt(minImprovement)} required`);
  } else {
    failures.push(`${gap} is worse by ${fmt(-improvement)}`);
  }

  const baselineSlices = new Map((baseline.slices ?? []).map((s) => [`${s.column}\u0000${s.slice}`, s]));
  for (const slice of options.candidate.slices ?? []) {
    if (slice.count < (options.minSliceCount ?? 1)) continue;
    const before = baselineSlices.get(`${slice.column}\u0000${slice.slice}`);
    const c = metricOf(slice.metrics, metric);
    const b = before ? metricOf(before.metrics, metric) : null;
    if (c === null || b === null) continue;
    details.slicesCompared += 1;
    const regression = -better(c, b);
    if (regression > sliceTolerance + EPSILON) {
      details.sliceRegressions.push({
        column: slice.column,
        slice: slice.slice,
        candidate: c,
        baseline: b,
        regression: round(regression),
      });
      failures.push(
        `slice ${slice.column}=${slice.slice} regresses ${metric} from ${fmt(b)} to ${fmt(c)} ` +
          `(by ${fmt(regression)}, tolerance ${fmt(sliceTolerance)})`,
      );
    }
  }
  if (details.slicesCompared > 0 && details.sliceRegressions.length === 0) {
    passes.push(`none of ${details.slicesCompared} slices regresses by more than ${fmt(sliceTolerance)}`);
  }
  return verdict(failures, passes, '', details);
}

function verdict(
  failures: string[],
  passes: string[],
  note: string,
  details: GateDecision['details'],
): GateDecision {
  const blessed = failures.length === 0;
  const parts = blessed ? passes : failures;
  const sentence = [note, ...parts].filter((p) => p !== '').join('; ');
  return { blessed, reason: `${blessed ? 'Blessed' : 'Not blessed'}: ${sentence}.`, details };
}

function metricOf(metrics: object, name: string): number | null {
  const value = (metrics as Record<string, unknown>)[name];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function fmt(value: number): string {
  return String(round(value, 6));
}
