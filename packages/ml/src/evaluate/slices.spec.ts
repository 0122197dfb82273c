import { describe, expect, it } from 'vitest';
import { tableFromRows } from '../data/table.js';
import type { ClassificationMetrics } from './classification.js';
import type { RegressionMetrics } from './regression.js';
import { sliceMetrics } from './slices.js';

describe('sliceMetrics', () => {
  it('computes classification metrics per category, missing last', () => {
    const data = tableFromRows([{ g: 'b' }, { g: 'a' }, { g: 'b' }, { g: null }, { g: 'a' }]);
    const slices = sliceMetrics({
      data,
      column: 'g',
      task: 'classification',
      actual: ['x', 'x', 'y', 'y', 'y'],
      predicted: ['x', 'x', 'x', 'y', 'x'],
    });
    expect(slices.map((s) => [s.slice, s.count, (s.metrics as ClassificationMetrics).accuracy])).toEqual([
      ['a', 2, 0.5],
      ['b', 2, 0.5],
      ['(missing)', 1, 1],
    ]);
    expect(slices.every((s) => s.column === 'g')).toBe(true);
  });

  it('cuts a numeric column into quantile buckets in numeric order', () => {
    const data = tableFromRows(Array.from({ length: 8 }, (_, i) => ({ age: i * 10 })));
    const actual = [1, 2, 3, 4, 5, 6, 7, 8];
    const predicted = [1, 2, 3, 4, 5, 6, 7, 18];
    const slices = sliceMetrics({ data, column: 'age', task: 'regression', actual, predicted, buckets: 2 });
    expect(slices.map((s) => [s.slice, s.count, (s.metrics as RegressionMetrics).mae])).toEqual([
      ['[0, 35)', 4, 0],
      ['[35, 70]', 4, 2.5],
    ]);
  });

  it('puts a constant numeric column in one bucket and checks lengths', () => {
    const data = tableFromRows([{ v: 5 }, { v: 5 }]);
    const slices = sliceMetrics({ data, column: 'v', task: 'regression', actual: [1, 2], predicted: [1, 2] });
    expect(slices.map((s) => s.slice)).toEqual(['[5, 5]']);
    expect(() =>
      sliceMetrics({ data, column: 'v', task: 'regression', actual: [1], predicted: [1] }),
    ).toThrow(/2 rows but there are 1 labels/);
  });
});
