import { describe, expect, it } from 'vitest';
import { binMatrix, binOf, cutPoints } from './binning.js';

describe('cutPoints', () => {
  it('puts a cut between every pair of distinct values when there are few', () => {
    expect([...cutPoints(Float64Array.from([0, 0, 1, 1, 1, 3]), 255)]).toEqual([0.5, 2]);
  });

  it('keeps about maxBins - 1 cuts when values repeat (rounded measurements), one per quantile', () => {
    // 1,000 distinct values each repeated 100 times: a quantile position almost never falls on the
    // boundary between two runs, yet every quantile must still get its cut.
    const sorted = new Float64Array(100_000);
    for (let i = 0; i < sorted.length; i++) sorted[i] = Math.floor(i / 100) / 10;
    const cuts = cutPoints(sorted, 255);
    expect(cuts.length).toBeGreaterThanOrEqual(250);
    expect(cuts.length).toBeLessThanOrEqual(254);
    for (let i = 1; i < cuts.length; i++) expect(cuts[i]!).toBeGreaterThan(cuts[i - 1]!);
    // Each cut sits halfway between two neighbouring distinct values.
    for (const cut of cuts) expect(Math.round(cut * 100) % 10).toBe(5);
  });

  it('gives a heavily repeated value a bin of its own without duplicate cuts', () => {
    const sorted = Float64Array.from([
      ...new Array(900).fill(5),
      ...Array.from({ length: 400 }, (_, i) => 6 + i),
    ]);
    const cuts = cutPoints(sorted, 16);
    expect(cuts[0]).toBe(5.5);
    expect(new Set(cuts).size).toBe(cuts.length);
  });
});

describe('binMatrix', () => {
  it('bins so that "bin <= b" is "value <= cuts[b]"', () => {
    const data = Float64Array.from({ length: 1000 }, (_, i) => (i * 7919) % 1000);
    const { bins, cuts } = binMatrix({ rows: 1000, cols: 1, data }, 32);
    for (let r = 0; r < 1000; r++) {
      const b = bins[r]!;
      if (b < cuts[0]!.length) expect(data[r]!).toBeLessThanOrEqual(cuts[0]![b]!);
      if (b > 0) expect(data[r]!).toBeGreaterThan(cuts[0]![b - 1]!);
    }
    expect(binOf(cuts[0]!, Number.NaN)).toBe(cuts[0]!.length);
  });
});
