import { describe, expect, it } from 'vitest';
import { tableFromRows } from '../data/table.js';
import { fitTransform } from '../features/transform.js';
import { AUTO_FOREST_MAX_ROWS } from './choose-adapter.js';
import { fitBundle } from './fit-bundle.js';
import { mulberry32 } from './gbdt/booster.js';

function data(rows: number) {
  const random = mulberry32(5);
  const table = tableFromRows(
    Array.from({ length: rows }, () => {
      const a = random();
      return { a, b: random(), y: a > 0.5 ? 'hi' : 'lo' };
    }),
  );
  return { table, transform: fitTransform(table, { columns: { a: {}, b: {} } }, { label: 'y' }) };
}

describe('fitBundle with adapter auto', () => {
  it('fits and records the forest on a small table, the booster above the bound', async () => {
    const small = await fitBundle({
      ...data(300),
      task: 'classification',
      adapter: 'auto',
      hyperParameters: { nEstimators: 3 },
    });
    expect(small.bundle.adapter).toBe('random-forest');
    expect(small.bundle.model.kind).toBe('random-forest');

    const notes: string[] = [];
    const large = await fitBundle({
      ...data(AUTO_FOREST_MAX_ROWS + 1),
      task: 'classification',
      adapter: 'auto',
      hyperParameters: { nEstimators: 3 },
      onNote: (note) => notes.push(note),
    });
    expect(large.bundle.adapter).toBe('gradient-boosting');
    expect(large.bundle.model.kind).toBe('gradient-boosting');
    expect(notes).toEqual([expect.stringContaining('above 2,000: gradient-boosting')]);
  });
});
