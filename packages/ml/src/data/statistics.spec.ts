import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readDataset } from './ingest.js';
import { computeStatistics, histogram } from './statistics.js';
import { tableFromRows } from './table.js';

describe('computeStatistics', () => {
  it('summarises numeric, categorical and boolean columns', () => {
    const table = tableFromRows([
      { x: 1, c: 'a', b: true },
      { x: 2, c: 'b', b: false },
      { x: 3, c: 'a', b: true },
      { x: 4, c: null, b: null },
      { x: null, c: 'c', b: true },
    ]);
    const stats = computeStatistics(table, { bins: 3, topK: 2 });
    expect(stats.rowCount).toBe(5);
    expect(stats.features.x).toEqual({
      name: 'x',
      type: 'numeric',
      count: 4,
      missing: 1,
      missingRate: 0.2,
      mean: 2.5,
      std: 1.11803398875,
      min: 1,
      max: 4,
      quantiles: { p01: 1.03, p25: 1.75, p50: 2.5, p75: 3.25, p99: 3.97 },
      histogram: { edges: [1, 2, 3, 4], counts: [1, 1, 2] },
    });
    expect(stats.features.c).toEqual({
      name: 'c',
      type: 'categorical',
      count: 4,
      missing: 1,
      missingRate: 0.2,
      distinct: 3,
      topValues: [
        { value: 'a', count: 2 },
        { value: 'b', count: 1 },
      ],
    });
    expect(stats.features.b).toMatchObject({ type: 'boolean', trueCount: 3, falseCount: 1, missing: 1 });
  });

  it('gives nulls, not NaN, for an all-missing numeric column, so the result is valid JSON', () => {
    const table = tableFromRows([{ x: null }, { x: null }], { x: 'numeric' });
    const stats = computeStatistics(table);
    expect(stats.features.x).toMatchObject({
      count: 0,
      missing: 2,
      missingRate: 1,
      mean: null,
      histogram: null,
    });
    expect(JSON.parse(JSON.stringify(stats))).toEqual(stats);
  });

  it('matches known values on the penguins fixture', async () => {
    const { table } = await readDataset(
      fileURLToPath(new URL('../__fixtures__/penguins.csv', import.meta.url)),
    );
    const stats = computeStatistics(table);
    expect(stats.features.species).toMatchObject({
      distinct: 3,
      topValues: [
        { value: 'Adelie', count: 152 },
        { value: 'Gentoo', count: 124 },
        { value: 'Chinstrap', count: 68 },
      ],
    });
    const mass = stats.features.body_mass_g;
    expect(mass?.type).toBe('numeric');
    if (mass?.type !== 'numeric') return;
    expect(mass.count).toBe(342);
    expect(mass.min).toBe(2700);
    expect(mass.max).toBe(6300);
    expect(mass.mean).toBeCloseTo(4201.75, 1);
    expect(mass.quantiles?.p50).toBe(4050);
    expect(mass.histogram?.counts.reduce((a, b) => a + b, 0)).toBe(342);
  });
});

describe('histogram', () => {
  it('puts the maximum in the last bin and a constant column in one bin', () => {
    expect(histogram([0, 5, 10], 0, 10, 2)).toEqual({ edges: [0, 5, 10], counts: [1, 2] });
    expect(histogram([7, 7], 7, 7, 10)).toEqual({ edges: [7, 7], counts: [2] });
  });
});
