import { describe, expect, it } from 'vitest';
import { regressionMetrics } from './regression.js';

describe('regressionMetrics', () => {
  it('matches scikit-learn on its documented example', () => {
    // sklearn: mean_squared_error 0.375, mean_absolute_error 0.5, r2_score 0.948...
    const metrics = regressionMetrics([3, -0.5, 2, 7], [2.5, 0.0, 2, 8]);
    expect(metrics.count).toBe(4);
    expect(metrics.rmse).toBeCloseTo(Math.sqrt(0.375), 10);
    expect(metrics.mae).toBe(0.5);
    expect(metrics.r2).toBeCloseTo(0.9486081370449679, 10);
  });

  it('has no R^2 for constant truth and rejects non-numbers', () => {
    expect(regressionMetrics([1, 1], [1, 2]).r2).toBeNull();
    expect(regressionMetrics([], [])).toEqual({ count: 0, rmse: 0, mae: 0, r2: null });
    expect(() => regressionMetrics(['a'], [1])).toThrow(/finite numbers/);
    expect(() => regressionMetrics([1, 2], [1])).toThrow(/2 true values but 1 predictions/);
  });
});
