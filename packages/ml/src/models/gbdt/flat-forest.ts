import type { Booster } from './booster.js';
import type { DenseMatrix } from './matrix.js';

/**
 * Every tree of a booster in one set of typed arrays (node ids global, `roots[t]` the root of tree
 * t): prediction walks them without a property load or a bounds change per tree.
 */
export interface FlatForest {
  readonly outputs: number;
  readonly init: readonly number[];
  readonly roots: Int32Array;
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly value: Float64Array;
}

const flattened = new WeakMap<Booster, FlatForest>();

/** The booster's trees flattened, once per booster (a served model predicts many times). */
export function flatForest(booster: Booster): FlatForest {
  const cached = flattened.get(booster);
  if (cached) return cached;
  let nodes = 0;
  for (const tree of booster.trees) nodes += tree.feature.length;
  const roots = new Int32Array(booster.trees.length);
  const feature = new Int32Array(nodes);
  const threshold = new Float64Array(nodes);
  const left = new Int32Array(nodes);
  const right = new Int32Array(nodes);
  const value = new Float64Array(nodes);
  let at = 0;
  booster.trees.forEach((tree, t) => {
    roots[t] = at;
    feature.set(tree.feature, at);
    threshold.set(tree.threshold, at);
    value.set(tree.value, at);
    for (let i = 0; i < tree.feature.length; i++) {
      left[at + i] = tree.left[i]! + at;
      right[at + i] = tree.right[i]! + at;
    }
    at += tree.feature.length;
  });
  const forest = {
    outputs: booster.outputs,
    init: booster.init,
    roots,
    feature,
    threshold,
    left,
    right,
    value,
  };
  flattened.set(booster, forest);
  return forest;
}

/** Rows per pass over the trees: their values stay in cache while every tree is walked. */
const ROW_BLOCK = 256;

/**
 * Raw scores (`rows * outputs`): each output starts at `init` and adds its trees' values in tree
 * order (tree t adds to output t % outputs), the order of the one-tree-at-a-time walk. A row goes
 * left when its value is <= the threshold; NaN (missing) goes right.
 */
export function forestScores(forest: FlatForest, X: DenseMatrix): Float64Array {
  const { outputs: K, roots, feature, threshold, left, right, value } = forest;
  const { rows, cols, data } = X;
  const out = new Float64Array(rows * K);
  for (let r = 0; r < rows; r++) for (let k = 0; k < K; k++) out[r * K + k] = forest.init[k]!;
  for (let r0 = 0; r0 < rows; r0 += ROW_BLOCK) {
    const r1 = Math.min(rows, r0 + ROW_BLOCK);
    for (let t = 0; t < roots.length; t++) {
      const root = roots[t]!;
      const k = t % K;
      for (let r = r0; r < r1; r++) {
        const base = r * cols;
        let node = root;
        let f = feature[node]!;
        while (f >= 0) {
          node = data[base + f]! <= threshold[node]! ? left[node]! : right[node]!;
          f = feature[node]!;
        }
        out[r * K + k]! += value[node]!;
      }
    }
  }
  return out;
}
