import { round } from '../data/numeric.js';
import type { Target } from '../models/adapter.js';

export interface RegressionMetrics {
  readonly count: number;
  readonly rmse: number;
  readonly mae: number;
  /** 1 - SS_res / SS_tot; null when the true values are all equal (or there are none). */
  readonly r2: number | null;
}

export function regressionMetrics(
  actual: readonly Target[],
  predicted: readonly Target[],
): RegressionMetrics {
  if (actual.length !== predicted.length) {
    throw new Error(`${actual.length} true values but ${predicted.length} predictions`);
  }
  return numericRegressionMetrics(Float64Array.from(actual, Number), Float64Array.from(predicted, Number));
}

/**
 * `regressionMetrics` of typed arrays, over the rows `rows` (ascending; default every row): a large
 * evaluation and its slices read the label column and the predictions without a JS value per row.
 */
export function numericRegressionMetrics(
  truth: Float64Array,
  guess: Float64Array,
  rows?: Int32Array,
): RegressionMetrics {
  if (truth.length !== guess.length) {
    throw new Error(`${truth.length} true values but ${guess.length} predictions`);
  }
  const n = rows ? rows.length : truth.length;
  for (let j = 0; j < n; j++) {
    const i = rows ? rows[j]! : j;
    if (!Number.isFinite(truth[i]!) || !Number.isFinite(guess[i]!))
      throw new Error('Regression metrics need finite numbers for every true value and prediction');
  }
  if (n === 0) return { count: 0, rmse: 0, mae: 0, r2: null };
  let squared = 0;
  let absolute = 0;
  let sum = 0;
  for (let j = 0; j < n; j++) {
    const i = rows ? rows[j]! : j;
    const error = truth[i]! - guess[i]!;
    squared += error * error;
    absolute += Math.abs(error);
    sum += truth[i]!;
  }
  const mean = sum / n;
  let total = 0;
  for (let j = 0; j < n; j++) total += (truth[rows ? rows[j]! : j]! - mean) ** 2;
  return {
    count: n,
    rmse: round(Math.sqrt(squared / n)),
    mae: round(absolute / n),
    r2: total === 0 ? null : round(1 - squared / total),
  };
}
