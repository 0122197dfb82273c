import { describe, expect, it } from 'vitest';
import { penguinsSplit } from '../__fixtures__/datasets.js';
import { tableFromRows } from '../data/table.js';
import { encodeLabelVector } from '../models/encoded-labels.js';
import { fitBundle } from '../models/fit-bundle.js';
import { binMatrix } from '../models/gbdt/binning.js';
import { GradientBoostingAdapter } from '../models/gradient-boosting.js';
import { fitTransform } from './transform.js';
import { binTransformed } from './transform-bins.js';
import { transformToMatrix } from './transform-matrix.js';
import { defaultTransformSpec } from './transform-spec.js';

/** 300k rows: more than the 200k rows the cuts are sampled from, so the sampling stride is exercised. */
function wideTable(rows: number) {
  const out = [];
  for (let i = 0; i < rows; i++) {
    out.push({
      x: i % 97 === 0 ? null : Math.sin(i) * 100,
      c: ['a', 'b', 'c', null][i % 4]!,
      b: i % 3 === 0,
      y: i % 5 === 0 ? 'p' : 'q',
    });
  }
  return tableFromRows(out);
}

describe('binTransformed', () => {
  it('gives the same bins and cuts as binning the float64 matrix', () => {
    const table = wideTable(300_000);
    const state = fitTransform(
      table,
      { columns: { x: { impute: 'median', scale: 'standard' }, c: { encode: 'onehot' }, b: {} } },
      { label: 'y' },
    );
    for (const maxBins of [255, 16]) {
      const direct = binTransformed(state, table, maxBins);
      const viaMatrix = binMatrix(transformToMatrix(state, table), maxBins);
      expect(direct.cols).toBe(state.featureNames.length);
      expect(direct.cuts).toEqual(viaMatrix.cuts);
      expect(Buffer.from(direct.bins).equals(Buffer.from(viaMatrix.bins))).toBe(true);
      expect(direct.bins.buffer).toBeInstanceOf(SharedArrayBuffer);
    }
  });

  it('lets fitBundle train the same gradient-boosting model as the float64 matrix did', async () => {
    const { train } = await penguinsSplit();
    const label = 'species';
    const transform = fitTransform(train, defaultTransformSpec(train, { label }), { label });
    const hyper = { nEstimators: 5, maxLeaves: 7, subsample: 0.8 };
    const { bundle } = await fitBundle({
      table: train,
      transform,
      task: 'classification',
      adapter: 'gradient-boosting',
      hyperParameters: hyper,
    });
    // The path fitBundle took before: the whole float64 matrix, binned inside the booster.
    const before = new GradientBoostingAdapter('classification');
    before.fitMatrix(
      transformToMatrix(transform, train),
      encodeLabelVector(train.getChild(label)!, 'classification'),
      hyper,
    );
    expect(bundle.model).toEqual(JSON.parse(JSON.stringify(before.toJSON())));
  });
});
