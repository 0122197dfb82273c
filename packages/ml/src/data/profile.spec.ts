import { fileURLToPath } from 'node:url';
import { Table } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { detectDrift, ksTwoSample } from './drift.js';
import { readDataset } from './ingest.js';
import { localFile } from './read/data-file.js';
import { readBatches } from './read/read-batches.js';
import { inferSchema } from './schema.js';
import { computeStatistics, computeStatisticsFromBatches, featureStatistics } from './statistics.js';
import { columnNames, columnType, columnValues, tableFromRows } from './table.js';
import { validateBatches, validateDataset } from './validate.js';

const penguinsPath = fileURLToPath(new URL('../__fixtures__/penguins.csv', import.meta.url));

function gaussianRows(n: number, shift: number, seed: number) {
  let a = seed;
  const random = () => {
    a = (Math.imul(a, 1103515245) + 12345) >>> 0;
    return (a + 1) / 2 ** 32;
  };
  return Array.from({ length: n }, (_, i) => ({
    x:
      i % 97 === 0
        ? null
        : Math.round((shift + Math.sqrt(-2 * Math.log(random())) * Math.cos(2 * Math.PI * random())) * 100) /
          100,
    c: `k${Math.floor(random() * 20)}`,
  }));
}

describe('one-pass statistics over record batches', () => {
  it('equals the exact per-column statistics on small data, however the table is batched', async () => {
    const { table } = await readDataset(penguinsPath);
    const exact = Object.fromEntries(
      columnNames(table).map((name) => [
        name,
        featureStatistics(name, columnType(table, name), columnValues(table, name)),
      ]),
    );
    const stats = computeStatistics(table);
    expect(stats.features).toEqual(exact);
    const rebatched = new Table([
      ...table.slice(0, 100).batches,
      ...table.slice(100, 101).batches,
      ...table.slice(101).batches,
    ]);
    expect(computeStatistics(rebatched)).toEqual(stats);
  });

  it('streams a file batch by batch to the same statistics and validation as the whole table', async () => {
    const { table } = await readDataset(penguinsPath);
    const file = localFile(penguinsPath);
    const streamed = await computeStatisticsFromBatches(readBatches(file, 'csv'));
    expect(streamed).toEqual(computeStatistics(table));
    const schema = inferSchema(streamed);
    const shifted = tableFromRows([{ species: 'Dragon', island: 'Biscoe', body_mass_g: 99999 }], {
      species: 'categorical',
      island: 'categorical',
      body_mass_g: 'numeric',
    });
    expect(await validateBatches(readBatches(localFile(penguinsPath), 'csv'), schema)).toEqual(
      validateDataset(table, schema),
    );
    const bad = validateDataset(shifted, schema);
    expect(bad.anomalies.map((a) => a.kind)).toEqual(
      expect.arrayContaining(['out_of_domain', 'out_of_range', 'missing_column']),
    );
  });

  it('on large data: exact counts, min, max, mean; quantiles, histogram and drift within the stated bounds', () => {
    const n = 200_000;
    const rows = gaussianRows(n, 0, 11);
    const table = tableFromRows(rows, { x: 'numeric', c: 'categorical' });
    const stats = computeStatistics(table);
    const x = stats.features.x!;
    if (x.type !== 'numeric') throw new Error('x should be numeric');
    expect(x.approximate).toEqual({ quantileRankError: 0.003 });
    const exact = featureStatistics('x', 'numeric', columnValues(table, 'x'));
    if (exact.type !== 'numeric') throw new Error('x should be numeric');
    expect(exact.approximate).toBeUndefined();
    expect([x.count, x.missing, x.min, x.max]).toEqual([exact.count, exact.missing, exact.min, exact.max]);
    expect(x.mean!).toBeCloseTo(exact.mean!, 9);
    expect(x.std!).toBeCloseTo(exact.std!, 9);
    const sorted = (columnValues(table, 'x').filter((v) => v !== null) as number[]).sort((a, b) => a - b);
    const rankOf = (v: number) => sorted.filter((s) => s <= v).length;
    for (const [key, q] of [
      ['p01', 0.01],
      ['p25', 0.25],
      ['p50', 0.5],
      ['p75', 0.75],
      ['p99', 0.99],
    ] as const) {
      const estimate = x.quantiles![key];
      const low = sorted.filter((s) => s < estimate).length;
      const high = rankOf(estimate);
      const target = q * (sorted.length - 1);
      const off = target < low ? low - target : target > high ? target - high : 0;
      expect(off / sorted.length).toBeLessThan(0.003);
    }
    x.histogram!.counts.forEach((count, i) => {
      expect(Math.abs(count - exact.histogram!.counts[i]!) / sorted.length).toBeLessThan(0.006);
    });
    // 20 categories fit exact counting even at 200k rows.
    expect(stats.features.c).toEqual(featureStatistics('c', 'categorical', columnValues(table, 'c')));

    // Drift: the sketched KS statistic against the exact one on the same arrays.
    const moved = tableFromRows(gaussianRows(n, 0.05, 12), { x: 'numeric', c: 'categorical' });
    const drift = detectDrift(table, moved, { features: ['x'] }).features[0]!;
    const movedValues = columnValues(moved, 'x').filter((v) => v !== null) as number[];
    const exactKs = ksTwoSample(sorted, movedValues);
    expect(Math.abs(drift.ks!.statistic - exactKs.statistic)).toBeLessThan(0.006);
    expect(drift.drifted).toBe(exactKs.pValue < 0.05);
  });
});
