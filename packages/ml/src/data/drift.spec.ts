import { describe, expect, it } from 'vitest';
import { detectDrift, ksTwoSample, psiFromCounts } from './drift.js';
import { tableFromRows } from './table.js';

/** Deterministic pseudo-random numbers (mulberry32) so the tests do not depend on Math.random. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(next: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
}

function sample(seed: number, n: number, shift: number, pro: number) {
  const next = random(seed);
  return tableFromRows(
    Array.from({ length: n }, () => ({
      income: 50 + 10 * normal(next) + shift,
      plan: next() < pro ? 'pro' : 'basic',
    })),
  );
}

describe('detectDrift', () => {
  const baseline = sample(1, 2000, 0, 0.3);

  it('does not flag a fresh sample of the same distribution', () => {
    const result = detectDrift(baseline, sample(2, 2000, 0, 0.3));
    expect(result.drifted).toEqual([]);
    const income = result.features.find((f) => f.name === 'income')!;
    expect(income.psi).toBeLessThan(0.05);
    expect(income.ks!.pValue).toBeGreaterThan(0.05);
  });

  it('flags a shifted numeric and a changed category mix, with reasons', () => {
    const result = detectDrift(baseline, sample(3, 2000, 8, 0.7));
    expect(result.drifted).toEqual(['income', 'plan']);
    const income = result.features.find((f) => f.name === 'income')!;
    expect(income.psi).toBeGreaterThan(0.2);
    expect(income.ks!.statistic).toBeGreaterThan(0.25);
    expect(income.ks!.pValue).toBeLessThan(1e-6);
    expect(income.reasons[0]).toMatch(/^PSI [\d.]+ exceeds 0\.2$/);
    const plan = result.features.find((f) => f.name === 'plan')!;
    expect(plan.ks).toBeNull();
    expect(plan.psi).toBeGreaterThan(0.5);
  });

  it('respects the thresholds and reports missing or retyped columns', () => {
    const shifted = sample(3, 2000, 2, 0.3);
    expect(detectDrift(baseline, shifted).drifted).toEqual(['income']);
    expect(detectDrift(baseline, shifted, { psiThreshold: 10, ksPValueThreshold: 0 }).drifted).toEqual([]);
    const broken = tableFromRows([{ income: 'high' }]);
    const result = detectDrift(baseline, broken);
    expect(result.features.map((f) => f.reasons)).toEqual([
      ['"income" changed type from numeric to categorical'],
      ['"plan" is missing from the current data'],
    ]);
  });

  it('counts a rise in missing values as drift', () => {
    const withNulls = tableFromRows(
      Array.from({ length: 2000 }, (_, i) => ({ income: i % 2 === 0 ? null : 50, plan: 'basic' })),
    );
    const income = detectDrift(baseline, withNulls, { features: ['income'] }).features[0]!;
    expect(income.psi).toBeGreaterThan(1);
  });
});

describe('psiFromCounts', () => {
  it('is zero for equal shares and matches a hand computation', () => {
    expect(
      psiFromCounts(
        new Map([
          ['a', 5],
          ['b', 5],
        ]),
        new Map([
          ['a', 50],
          ['b', 50],
        ]),
      ),
    ).toBe(0);
    const expected = (0.8 - 0.5) * Math.log(0.8 / 0.5) + (0.2 - 0.5) * Math.log(0.2 / 0.5);
    expect(
      psiFromCounts(
        new Map([
          ['a', 1],
          ['b', 1],
        ]),
        new Map([
          ['a', 4],
          ['b', 1],
        ]),
      ),
    ).toBeCloseTo(expected, 9);
  });
});

describe('ksTwoSample', () => {
  it('matches scipy.stats.ks_2samp on a small example', () => {
    // scipy (method='asymp'): statistic 0.5, pvalue 0.1641...; the Stephens-corrected asymptotic formula gives 0.15.
    const result = ksTwoSample([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    expect(result.statistic).toBe(0.5);
    expect(result.pValue).toBeGreaterThan(0.1);
    expect(result.pValue).toBeLessThan(0.2);
  });

  it('gives statistic 0 and p-value 1 for identical samples', () => {
    expect(ksTwoSample([3, 1, 2], [1, 2, 3])).toEqual({ statistic: 0, pValue: 1 });
  });
});
