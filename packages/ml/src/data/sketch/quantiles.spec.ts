import { describe, expect, it } from 'vitest';
import { quantileSorted } from '../numeric.js';
import { QuantileSketch } from './quantiles.js';

function values(n: number, seed = 1): Float64Array {
  let a = seed;
  const random = () => {
    a = (Math.imul(a, 1103515245) + 12345) >>> 0;
    return a / 2 ** 32;
  };
  // Rounded, skewed values with many repeats, like real measurements.
  return Float64Array.from({ length: n }, () => Math.round(1000 * random() ** 2) / 10);
}

describe('QuantileSketch', () => {
  it('is exact up to its exact limit: quantiles and ranks equal the sorted values', () => {
    const data = values(5000);
    const sketch = new QuantileSketch(2048, 10_000);
    for (const v of data) sketch.add(v);
    expect(sketch.isExact).toBe(true);
    const sorted = [...data].sort((a, b) => a - b);
    for (const q of [0, 0.01, 0.25, 0.5, 0.75, 0.99, 1])
      expect(sketch.quantile(q)).toBe(quantileSorted(sorted, q));
    for (const x of [0, 10, 25.5, 99.9]) {
      expect(sketch.rank(x)).toBe(sorted.filter((v) => v <= x).length);
      expect(sketch.rankBelow(x)).toBe(sorted.filter((v) => v < x).length);
    }
  });

  it('stays within 0.3 % rank error on a million values in a few thousand retained ones', () => {
    const n = 1_000_000;
    const data = values(n, 7);
    const sketch = new QuantileSketch();
    for (const v of data) sketch.add(v);
    expect(sketch.isExact).toBe(false);
    expect(sketch.count).toBe(n);
    const { values: kept, weights } = sketch.weighted();
    expect(kept.length).toBeLessThan(8000);
    expect(weights.reduce((a, b) => a + b, 0)).toBe(n);
    const sorted = data.slice().sort();
    const trueRank = (x: number) => {
      let lo = 0;
      let hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (sorted[mid]! <= x) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    };
    for (const q of [0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99]) {
      const estimate = sketch.quantile(q);
      // The estimate's true rank range must include q * n within the bound.
      const lowRank = trueRank(estimate - 1e-9);
      const highRank = trueRank(estimate);
      const target = q * n;
      const distance = target < lowRank ? lowRank - target : target > highRank ? target - highRank : 0;
      expect(distance / n).toBeLessThan(0.003);
    }
    for (const x of [5, 20, 50, 80]) expect(Math.abs(sketch.rank(x) - trueRank(x)) / n).toBeLessThan(0.003);
  });

  it('gives the same sketch for the same input (seeded compaction)', () => {
    const data = values(200_000, 3);
    const a = new QuantileSketch();
    const b = new QuantileSketch();
    for (const v of data) {
      a.add(v);
      b.add(v);
    }
    expect(a.quantile(0.37)).toBe(b.quantile(0.37));
  });

  it('adds a batch with addAll exactly as it adds the values one by one', () => {
    const data = values(300_000, 5);
    const one = new QuantileSketch();
    const many = new QuantileSketch();
    for (const v of data) one.add(v);
    // Uneven batches that cross the exact limit and level 0's size mid-batch.
    for (let from = 0, size = 1; from < data.length; from += size, size = (size * 7 + 3) % 70_001)
      many.addAll(data.subarray(from, from + size));
    expect(many.count).toBe(one.count);
    expect(many.weighted()).toEqual(one.weighted());
  });
});
