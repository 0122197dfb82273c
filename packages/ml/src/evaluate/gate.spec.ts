import { describe, expect, it } from 'vitest';
import { decide } from './gate.js';

const slice = (value: string, accuracy: number, count = 20) => ({
  column: 'island',
  slice: value,
  count,
  metrics: { accuracy },
});

describe('decide', () => {
  const baseline = {
    metrics: { accuracy: 0.9, rmse: 3 },
    slices: [slice('Biscoe', 0.92), slice('Dream', 0.88)],
  };

  it('blesses a candidate that beats the baseline and regresses on no slice', () => {
    const decision = decide({
      candidate: { metrics: { accuracy: 0.93 }, slices: [slice('Biscoe', 0.95), slice('Dream', 0.87)] },
      baseline,
      metric: 'accuracy',
      higherIsBetter: true,
      minImprovement: 0.02,
      sliceTolerance: 0.02,
    });
    expect(decision.blessed).toBe(true);
    expect(decision.reason).toBe(
      "Blessed: accuracy 0.93 vs the baseline's 0.9 improves by 0.03 (at least 0.02 required); " +
        'none of 2 slices regresses by more than 0.02.',
    );
    expect(decision.details).toMatchObject({
      candidate: 0.93,
      baseline: 0.9,
      improvement: 0.03,
      slicesCompared: 2,
    });
  });

  it('refuses a candidate whose improvement is too small', () => {
    const decision = decide({
      candidate: { metrics: { accuracy: 0.91 } },
      baseline,
      metric: 'accuracy',
      higherIsBetter: true,
      minImprovement: 0.02,
      sliceTolerance: 0.05,
    });
    expect(decision.blessed).toBe(false);
    expect(decision.reason).toBe(
      "Not blessed: accuracy 0.91 vs the baseline's 0.9 improves by only 0.01; 0.02 required.",
    );
  });

  it('refuses a better candidate when one slice regresses beyond the tolerance', () => {
    const decision = decide({
      candidate: {
        metrics: { accuracy: 0.95 },
        slices: [slice('Biscoe', 0.99), slice('Dream', 0.8), slice('Tiny', 0, 2)],
      },
      baseline: { ...baseline, slices: [...baseline.slices, slice('Tiny', 1, 2)] },
      metric: 'accuracy',
      higherIsBetter: true,
      minImprovement: 0.01,
      sliceTolerance: 0.05,
      minSliceCount: 5,
    });
    expect(decision.blessed).toBe(false);
    expect(decision.reason).toBe(
      'Not blessed: slice island=Dream regresses accuracy from 0.88 to 0.8 (by 0.08, tolerance 0.05).',
    );
    expect(decision.details.sliceRegressions).toEqual([
      { column: 'island', slice: 'Dream', candidate: 0.8, baseline: 0.88, regression: 0.08 },
    ]);
    expect(decision.details.slicesCompared).toBe(2);
  });

  it('handles lower-is-better metrics', () => {
    const better = decide({
      candidate: { metrics: { rmse: 2.5 } },
      baseline,
      metric: 'rmse',
      higherIsBetter: false,
      minImprovement: 0.1,
    });
    expect(better.blessed).toBe(true);
    expect(better.details.improvement).toBe(0.5);
    const worse = decide({
      candidate: { metrics: { rmse: 3.5 } },
      baseline,
      metric: 'rmse',
      higherIsBetter: false,
    });
    expect(worse.blessed).toBe(false);
    expect(worse.reason).toBe("Not blessed: rmse 3.5 vs the baseline's 3 is worse by 0.5.");
  });

  it('without a baseline, applies only the absolute threshold', () => {
    const pass = decide({
      candidate: { metrics: { accuracy: 0.95 } },
      metric: 'accuracy',
      higherIsBetter: true,
      absoluteThreshold: 0.9,
    });
    expect(pass).toMatchObject({
      blessed: true,
      reason: 'Blessed: there is no baseline to compare with; accuracy 0.95 reaches the threshold 0.9.',
    });
    const fail = decide({
      candidate: { metrics: { accuracy: 0.8 } },
      metric: 'accuracy',
      higherIsBetter: true,
      absoluteThreshold: 0.9,
    });
    expect(fail.blessed).toBe(false);
    expect(fail.reason).toBe(
      'Not blessed: there is no baseline to compare with; accuracy 0.8 is below the threshold 0.9.',
    );
    expect(
      decide({ candidate: { metrics: { accuracy: 0.1 } }, metric: 'accuracy', higherIsBetter: true }).blessed,
    ).toBe(true);
  });

  it('refuses when the metric is missing or null', () => {
    const decision = decide({
      candidate: { metrics: { rocAuc: null } },
      metric: 'rocAuc',
      higherIsBetter: true,
    });
    expect(decision.blessed).toBe(false);
    expect(decision.reason).toBe('Not blessed: the candidate has no numeric value for metric "rocAuc".');
  });
});
