import type { Booster } from './booster.js';
import type { DenseMatrix } from './matrix.js';

/**
 * Every tree of a booster in one set of typed arrays, laid out for a walk of fixed length: node
 * ids are global (`roots[t]` the root of tree t), an inner node's right child is its left child + 1
 * (as growTree makes them), and a leaf steps to itself (feature 0, threshold NaN, left = itself - 1),
 * so `depth[t]` steps from the root end on the row's leaf whatever the row.
 */
export interface FlatForest {
  readonly outputs: number;
  readonly init: readonly number[];
  readonly roots: Int32Array;
  readonly depth: Int32Array;
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly left: Int32Array;
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
  const depth = new Int32Array(booster.trees.length);
  const feature = new Int32Array(nodes);
  const threshold = new Float64Array(nodes);
  const left = new Int32Array(nodes);
  const value = new Float64Array(nodes);
  let at = 0;
  booster.trees.forEach((tree, t) => {
    roots[t] = at;
    const n = tree.feature.length;
    const level = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const node = at + i;
      value[node] = tree.value[i]!;
      if (tree.feature[i]! < 0) {
        feature[node] = 0;
        threshold[node] = Number.NaN;
        left[node] = node - 1;
        continue;
      }
      if (tree.right[i] !== tree.left[i]! + 1) {
        throw new Error(
          `gradient-boosting tree ${t}: node ${i}'s children are not adjacent; the model is damaged`,
        );
      }
      feature[node] = tree.feature[i]!;
      threshold[node] = tree.threshold[i]!;
      left[node] = at + tree.left[i]!;
      // Children come after their parent, so a parent's level is known when its children are met.
      level[tree.left[i]!] = level[i]! + 1;
      level[tree.right[i]!] = level[i]! + 1;
      depth[t] = Math.max(depth[t]!, level[i]! + 1);
    }
    at += n;
  });
  const forest = {
    outputs: booster.outputs,
    init: booster.init,
    roots,
    depth,
    feature,
    threshold,
    left,
    value,
  };
  flattened.set(booster, forest);
  return forest;
}

/** Rows per pass over the trees: their values stay in cache while every tree is walked. */
const ROW_BLOCK = 256;

/**
 * Raw scores (`rows * outputs`): each output starts at `init` and adds its trees' values in tree
 * order (tree t adds to output t % outputs). A row goes left when its value is <= the threshold;
 * NaN (missing) goes right. Four rows walk each tree together, each step choosing the child by the
 * comparison as a number: four independent chains of loads and no branch to mispredict (a branchy
 * one-row walk spent ~50 ns a tree, mostly waiting).
 */
export function forestScores(forest: FlatForest, X: DenseMatrix): Float64Array {
  const { outputs: K, roots, depth, feature: f, threshold: v, left: l, value } = forest;
  const { rows, cols, data: x } = X;
  const out = new Float64Array(rows * K);
  for (let r = 0; r < rows; r++) for (let k = 0; k < K; k++) out[r * K + k] = forest.init[k]!;
  for (let r0 = 0; r0 < rows; r0 += ROW_BLOCK) {
    const r1 = Math.min(rows, r0 + ROW_BLOCK);
    for (let t = 0; t < roots.length; t++) {
      const root = roots[t]!;
      const steps = depth[t]!;
      const k = t % K;
      let r = r0;
      for (; r + 4 <= r1; r += 4) {
        const b0 = r * cols;
        const b1 = b0 + cols;
        const b2 = b1 + cols;
        const b3 = b2 + cols;
        let n0 = root;
        let n1 = root;
        let n2 = root;
        let n3 = root;
        for (let d = 0; d < steps; d++) {
          n0 = l[n0]! + 1 - +(x[b0 + f[n0]!]! <= v[n0]!);
          n1 = l[n1]! + 1 - +(x[b1 + f[n1]!]! <= v[n1]!);
          n2 = l[n2]! + 1 - +(x[b2 + f[n2]!]! <= v[n2]!);
          n3 = l[n3]! + 1 - +(x[b3 + f[n3]!]! <= v[n3]!);
        }
        out[r * K + k]! += value[n0]!;
        out[(r + 1) * K + k]! += value[n1]!;
        out[(r + 2) * K + k]! += value[n2]!;
        out[(r + 3) * K + k]! += value[n3]!;
      }
      for (; r < r1; r++) {
        const b = r * cols;
        let n = root;
        for (let d = 0; d < steps; d++) n = l[n]! + 1 - +(x[b + f[n]!]! <= v[n]!);
        out[r * K + k]! += value[n]!;
      }
    }
  }
  return out;
}
