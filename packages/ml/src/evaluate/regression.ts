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
  const truth = actual.map(Number);
  const guess = predicted.map(Number);
  const bad = [...truth, ...guess].findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new Error('Regression metrics need finite numbers for every true value and prediction');
  const n = truth.length;
  if (n === 0) return { count: 0, rmse: 0, mae: 0, r2: null };
  let squared = 0;
  let absolute = 0;
  truth.forEach((t, i) => {
    const error = t - guess[i]!;
    squared += error * error;
    absolute += Math.abs(error);
  });
  const mean = truth.reduce((a, b) => a + b, 0) / n;
  const total = truth.reduce((a, t) => a + (t - mean) ** 2, 0);
  return {
    count: n,
    rmse: round(Math.sqrt(squared / n)),
    mae: round(absolute / n),
    r2: total === 0 ? null : round(1 - squared / total),
  };
}
