import { describe, expect, it } from 'vitest';
import { tableFromRows } from '../data/table.js';
import { applyTransform, fitTransform } from './transform.js';
import { DEFAULT_MAX_CATEGORIES, defaultTransformSpec, validateTransformSpec } from './transform-spec.js';

const train = tableFromRows([
  { size: 1, color: 'red', member: true, label: 'a' },
  { size: 2, color: 'blue', member: false, label: 'b' },
  { size: 3, color: 'red', member: true, label: 'a' },
  { size: null, color: null, member: null, label: 'b' },
]);

describe('fitTransform / applyTransform', () => {
  it('one-hot encodes at most DEFAULT_MAX_CATEGORIES of a column by default, the most frequent', () => {
    // An id-like column: 5,000 distinct values, of which "common" repeats most.
    const rows = Array.from({ length: 5_000 }, (_, i) => ({ id: i < 50 ? 'common' : `id-${i}`, label: 'a' }));
    const state = fitTransform(tableFromRows(rows), defaultTransformSpec(rows, { label: 'label' }), {
      label: 'label',
    });
    expect(state.featureNames).toHaveLength(DEFAULT_MAX_CATEGORIES);
    expect(state.featureNames).toContain('id=common');
  });

  it('imputes, scales and one-hot encodes with the defaults', () => {
    const state = fitTransform(train, defaultTransformSpec(train, { label: 'label' }), { label: 'label' });
    expect(state.featureNames).toEqual(['size', 'color=blue', 'color=red', 'member']);
    expect(state.inputs).toEqual([
      { name: 'size', type: 'numeric' },
      { name: 'color', type: 'categorical' },
      { name: 'member', type: 'boolean' },
    ]);
    const s = Math.sqrt(2 / 3);
    const { X } = applyTransform(state, train);
    expect(X[0]![0]).toBeCloseTo(-1 / s, 10);
    expect(X.map((row) => row.slice(1))).toEqual([
      [0, 1, 1],
      [1, 0, 0],
      [0, 1, 1],
      [0, 1, 1], // missing color -> mode "red", missing member -> mode true
    ]);
    expect(X[3]![0]).toBe(0); // missing size -> mean, which standardises to 0
  });

  it('gives the same matrix from rows at serving time, with unknown and missing values handled', () => {
    const spec = {
      columns: {
        size: { impute: 'median' as const, scale: 'minmax' as const },
        color: { encode: 'ordinal' as const },
        member: {},
      },
    };
    const state = fitTransform(train, spec, { label: 'label' });
    const restored = JSON.parse(JSON.stringify(state));
    const served = applyTransform(restored, [
      { size: 3, color: 'green', member: 'false' },
      { color: 'blue' },
      { size: '1.5', color: 'red', member: true, extra: 'ignored' },
    ]);
    expect(served.featureNames).toEqual(['size', 'color', 'member']);
    expect(served.X).toEqual([
      [1, -1, 0],
      [0.5, 0, 1],
      [0.25, 1, 1],
    ]);
    const batch = applyTransform(state, tableFromRows([{ size: 3, color: 'green', member: false }]));
    expect(batch.X[0]).toEqual(served.X[0]);
  });

  it('maps unknown categories to all zeros in one-hot and honours constant fills and maxCategories', () => {
    const state = fitTransform(
      train,
      {
        columns: {
          size: { impute: 'constant', fillValue: 10, scale: 'none' },
          color: { impute: 'constant', fillValue: 'none', maxCategories: 1 },
        },
      },
      { label: 'label' },
    );
    expect(state.featureNames).toEqual(['size', 'color=red']);
    expect(applyTransform(state, [{ size: null, color: 'purple' }, { color: 'red' }]).X).toEqual([
      [10, 0],
      [10, 1],
    ]);
  });

  it('explains misconfigurations', () => {
    expect(() => fitTransform(train, { columns: { label: {} } }, { label: 'label' })).toThrow(/label column/);
    expect(() => fitTransform(train, { columns: { nope: {} } }, { label: 'label' })).toThrow(
      /names column "nope", which the training data does not have/,
    );
    expect(() => fitTransform(train, { columns: { color: { impute: 'mean' } } }, { label: 'label' })).toThrow(
      /impute "mean" needs numbers/,
    );
    expect(() =>
      fitTransform(train, { columns: { size: { encode: 'onehot' } } }, { label: 'label' }),
    ).toThrow(/categorical columns only/);
    expect(() => validateTransformSpec({ columns: { size: { impute: 'constant' } } })).toThrow(
      /needs a fillValue/,
    );
  });
});
