import { describe, expect, it } from 'vitest';
import { tableFromRows } from '../data/table.js';
import { applyTransform, fitTransform } from './transform.js';
import { transformToMatrix } from './transform-matrix.js';

const train = tableFromRows([
  { x: 1, c: 'a', b: true, y: 'p' },
  { x: 2, c: 'b', b: false, y: 'q' },
  { x: null, c: 'a', b: null, y: 'p' },
  { x: 4, c: null, b: true, y: 'q' },
]);

describe('transformToMatrix', () => {
  it('gives exactly the numbers of applyTransform, row by row, for every encoding', () => {
    const state = fitTransform(
      train,
      {
        columns: {
          x: { impute: 'median', scale: 'standard' },
          c: { encode: 'onehot' },
          b: {},
        },
      },
      { label: 'y' },
    );
    const serving = tableFromRows([
      { x: 3, c: 'b', b: false },
      { x: null, c: 'unseen', b: null },
      { x: Number.POSITIVE_INFINITY, c: null, b: true },
    ]);
    for (const data of [train, serving]) {
      const matrix = transformToMatrix(state, data);
      expect(matrix.cols).toBe(state.featureNames.length);
      const rows = Array.from({ length: matrix.rows }, (_, r) =>
        Array.from(matrix.data.subarray(r * matrix.cols, (r + 1) * matrix.cols)),
      );
      expect(rows).toEqual(applyTransform(state, data).X);
    }
  });

  it('handles ordinal and minmax encodings and absent columns like applyTransform', () => {
    const state = fitTransform(
      train,
      { columns: { x: { scale: 'minmax' }, c: { encode: 'ordinal' } } },
      { label: 'y' },
    );
    const absent = tableFromRows([{ other: 1 }, { other: 2 }]);
    const matrix = transformToMatrix(state, absent);
    expect([...matrix.data]).toEqual(applyTransform(state, absent).X.flat());
    expect(matrix.data.buffer).toBeInstanceOf(SharedArrayBuffer);
  });
});
