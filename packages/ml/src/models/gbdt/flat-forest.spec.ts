import { describe, expect, it } from 'vitest';
import { fitBooster, mulberry32 } from './booster.js';
import { flatForest, forestScores } from './flat-forest.js';
import type { Tree } from './tree.js';

/** The plain one-row, one-tree walk the flat forest must agree with, bit for bit. */
function walk(tree: Tree, data: Float64Array, base: number): number {
  let node = 0;
  while (tree.feature[node]! >= 0) {
    node = data[base + tree.feature[node]!]! <= tree.threshold[node]! ? tree.left[node]! : tree.right[node]!;
  }
  return tree.value[node]!;
}

describe('flatForest', () => {
  it('scores every row as the tree-by-tree walk does, missing values going right', () => {
    const random = mulberry32(11);
    const rows = 3_001; // not a multiple of 4 or of the row block: the tail is walked one row at a time
    const cols = 3;
    const data = new Float64Array(rows * cols);
    const y = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) data[r * cols + c] = random() < 0.05 ? Number.NaN : random() * 10;
      y[r] = Math.floor(random() * 3);
      if (data[r * cols]! > 6) y[r] = 2;
    }
    const booster = fitBooster({ rows, cols, data }, y, {
      objective: 'multiclass',
      outputs: 3,
      rounds: 5,
      maxBins: 255,
      subsample: 1,
      seed: 1,
      validationFraction: 0,
      nIterNoChange: 10,
      tol: 0,
      maxLeaves: 31,
      maxDepth: 0,
      minSamplesLeaf: 5,
      minChildWeight: 1e-3,
      l2: 1,
      shrinkage: 0.3,
    });
    const scores = forestScores(flatForest(booster), { rows, cols, data });
    const expected = new Float64Array(rows * 3);
    for (let r = 0; r < rows; r++) {
      for (let k = 0; k < 3; k++) expected[r * 3 + k] = booster.init[k]!;
      booster.trees.forEach((tree, t) => {
        expected[r * 3 + (t % 3)]! += walk(tree, data, r * cols);
      });
    }
    expect(booster.trees.length).toBe(15);
    expect(Buffer.from(scores.buffer).equals(Buffer.from(expected.buffer))).toBe(true);
  });
});
