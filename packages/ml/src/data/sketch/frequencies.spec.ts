import { describe, expect, it } from 'vitest';
import { FrequencySketch, HyperLogLog } from './frequencies.js';

describe('FrequencySketch', () => {
  it('counts exactly while the distinct values fit', () => {
    const sketch = new FrequencySketch(100);
    for (let i = 0; i < 5000; i++) sketch.add(`v${i % 50}`);
    expect(sketch.isExact).toBe(true);
    expect(sketch.distinct()).toBe(50);
    expect(sketch.entries()[0]).toEqual(['v0', 100]);
    expect(sketch.maxUndercount).toBe(0);
  });

  it('past capacity: keeps the heavy hitters within the stated undercount, estimates distinct within 3 %', () => {
    const sketch = new FrequencySketch(1000);
    const truth = new Map<string, number>();
    const add = (v: string) => {
      sketch.add(v);
      truth.set(v, (truth.get(v) ?? 0) + 1);
    };
    for (let i = 0; i < 300_000; i++) {
      add(`id-${i}`); // 300k values seen once
      if (i % 3 === 0) add(`hot-${i % 10}`); // 10 frequent ones
    }
    expect(sketch.isExact).toBe(false);
    const distinct = sketch.distinct();
    expect(Math.abs(distinct - truth.size) / truth.size).toBeLessThan(0.03);
    const top = sketch.entries().slice(0, 10);
    expect(top.map(([v]) => v).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `hot-${i}`).sort());
    for (const [value, count] of top) {
      expect(count).toBeLessThanOrEqual(truth.get(value)!);
      expect(truth.get(value)! - count).toBeLessThanOrEqual(sketch.maxUndercount);
    }
  });
});

describe('HyperLogLog', () => {
  it('estimates small and large cardinalities', () => {
    const small = new HyperLogLog();
    for (let i = 0; i < 100; i++) small.add(`x${i}`);
    expect(small.estimate()).toBeGreaterThanOrEqual(99);
    expect(small.estimate()).toBeLessThanOrEqual(101);
    const large = new HyperLogLog();
    for (let i = 0; i < 2_000_000; i++) large.add(`row-${i}`);
    expect(Math.abs(large.estimate() - 2_000_000) / 2_000_000).toBeLessThan(0.03);
  });
});
