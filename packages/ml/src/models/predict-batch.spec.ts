import { describe, expect, it } from 'vitest';
import { noisyClasses } from '../__fixtures__/noisy-classes.js';
import { predictRows } from './predict.js';
import { predictBatch, predictTable } from './predict-batch.js';
import { trainModel } from './train.js';

describe('predictTable and predictBatch', () => {
  it('predict a large table on worker threads, piece by piece, as predictRows does on one thread', async () => {
    const data = noisyClasses(20_000);
    const train = data.slice(0, 5_000);
    const table = data.slice(5_000);
    const bundle = await trainModel({
      data: train,
      label: 'label',
      task: 'classification',
      adapter: 'gradient-boosting',
      hyperParameters: { nEstimators: 6 },
    });
    const reference = await predictRows(bundle, table);
    // Pieces that do not divide the table (8,000 rows: the last piece is shorter), and one piece.
    for (const batchRows of [8_000, undefined]) {
      const flat = await predictTable(bundle, table, batchRows === undefined ? {} : { batchRows });
      expect(flat.rows).toBe(table.numRows);
      expect(flat.codes).toBeInstanceOf(Int32Array);
      expect(flat.predictions).toBeUndefined();
      expect(Array.from(flat.codes!, (c) => flat.classes![c])).toEqual(reference.predictions);
      expect(flat.classes).toEqual(reference.classes);
      expect(flat.probabilities).toEqual(Float64Array.from(reference.probabilities!.flat()));
    }
    expect(await predictBatch(bundle, table)).toEqual(reference);
    // Worker threads start from TypeScript source here (~0.65 s each): generous on a loaded machine.
  }, 120_000);

  it('give regression values and a small table the per-row path', async () => {
    const data = noisyClasses(22_000, 11);
    const bundle = await trainModel({
      data: data.slice(0, 4_000),
      label: 'target',
      task: 'regression',
      adapter: 'gradient-boosting',
      hyperParameters: { nEstimators: 4 },
    });
    const table = data.slice(4_000);
    const flat = await predictTable(bundle, table, { batchRows: 10_000 });
    expect(flat.codes).toBeUndefined();
    expect(flat.predictions).toEqual((await predictRows(bundle, table)).predictions);
    const small = table.slice(0, 500);
    expect((await predictTable(bundle, small)).predictions).toEqual(
      (await predictRows(bundle, small)).predictions,
    );
  }, 120_000);
});
