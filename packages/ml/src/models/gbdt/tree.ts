import type { BinnedMatrix } from './binning.js';
import { BINS, type HistogramBuilder, histogramLength, serialHistograms } from './histogram.js';

/**
 * One regression tree as flat arrays (node 0 is the root). An inner node sends a row left when
 * its feature value is <= `threshold` (raw value, for prediction) or, on binned training data,
 * when its bin is <= `binThreshold`. A leaf has feature -1 and its output in `value`.
 */
export interface Tree {
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly binThreshold: Uint8Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly value: Float64Array;
}

export interface TreeOptions {
  readonly maxLeaves: number;
  /** 0 means unlimited. */
  readonly maxDepth: number;
  readonly minSamplesLeaf: number;
  readonly minChildWeight: number;
  /** L2 regularisation of leaf values. */
  readonly l2: number;
  /** Multiplies every leaf value (the learning rate). */
  readonly shrinkage: number;
}

interface Split {
  gain: number;
  feature: number;
  bin: number;
  leftG: number;
  leftH: number;
  leftCount: number;
}

interface Leaf {
  node: number;
  start: number;
  end: number;
  depth: number;
  g: number;
  h: number;
  hist: Float64Array;
  split: Split | null;
}

/**
 * Grows one tree leaf-wise (best gain first, like LightGBM) on the rows `index[0..n)` of the
 * binned matrix, with gradient/hessian statistics per row. Reorders `index` so that each leaf's
 * rows are contiguous, and adds each leaf's value to `scores[row * stride + offset]` for the rows
 * it holds, which saves predicting the training rows again. Adds split gains to `importance`.
 */
export function growTree(
  binned: BinnedMatrix,
  index: Uint32Array,
  gh: Float32Array,
  options: TreeOptions,
  importance: Float64Array,
  update: { scores: Float32Array; stride: number; offset: number },
  histograms: HistogramBuilder = serialHistograms(binned),
): Tree {
  const { cols, cuts } = binned;
  const nodes = {
    feature: [] as number[],
    threshold: [] as number[],
    binThreshold: [] as number[],
    left: [] as number[],
    right: [] as number[],
    value: [] as number[],
  };
  const newNode = (): number => {
    nodes.feature.push(-1);
    nodes.threshold.push(0);
    nodes.binThreshold.push(0);
    nodes.left.push(-1);
    nodes.right.push(-1);
    nodes.value.push(0);
    return nodes.feature.length - 1;
  };
  const canSplit = (depth: number, count: number) =>
    (options.maxDepth <= 0 || depth < options.maxDepth) && count >= 2 * options.minSamplesLeaf;

  const scratch = new Uint32Array(index.length);
  const rootHist = new Float64Array(histogramLength(cols));
  histograms.build(index, 0, index.length, gh, rootHist);
  // The root's totals from its histogram (any feature's bins hold every row once).
  let g = 0;
  let h = 0;
  if (cols > 0) {
    for (let b = 0; b < BINS; b++) {
      g += rootHist[b * 3]!;
      h += rootHist[b * 3 + 1]!;
    }
  } else {
    for (let i = 0; i < index.length; i++) {
      g += gh[2 * index[i]!]!;
      h += gh[2 * index[i]! + 1]!;
    }
  }
  const root: Leaf = {
    node: newNode(),
    start: 0,
    end: index.length,
    depth: 0,
    g,
    h,
    hist: rootHist,
    split: null,
  };
  root.split = canSplit(0, index.length) ? bestSplit(root, cuts, options) : null;
  const leaves: Leaf[] = [root];

  while (leaves.length < options.maxLeaves) {
    let best = -1;
    for (let i = 0; i < leaves.length; i++) {
      const s = leaves[i]!.split;
      if (s && (best < 0 || s.gain > leaves[best]!.split!.gain)) best = i;
    }
    if (best < 0) break;
    const leaf = leaves[best]!;
    const split = leaf.split!;
    importance[split.feature]! += split.gain;
    const mid = partition(binned, index, leaf.start, leaf.end, split.feature, split.bin, scratch);
    const leftNode = newNode();
    const rightNode = newNode();
    nodes.feature[leaf.node] = split.feature;
    nodes.threshold[leaf.node] = cuts[split.feature]![split.bin]!;
    nodes.binThreshold[leaf.node] = split.bin;
    nodes.left[leaf.node] = leftNode;
    nodes.right[leaf.node] = rightNode;
    // Histogram subtraction: build the smaller child's histogram, the larger one is parent - smaller.
    const leftSmaller = mid - leaf.start <= leaf.end - mid;
    const small = new Float64Array(histogramLength(cols));
    if (leftSmaller) histograms.build(index, leaf.start, mid, gh, small);
    else histograms.build(index, mid, leaf.end, gh, small);
    const large = leaf.hist;
    for (let i = 0; i < large.length; i++) large[i]! -= small[i]!;
    const depth = leaf.depth + 1;
    const left: Leaf = {
      node: leftNode,
      start: leaf.start,
      end: mid,
      depth,
      g: split.leftG,
      h: split.leftH,
      hist: leftSmaller ? small : large,
      split: null,
    };
    const right: Leaf = {
      node: rightNode,
      start: mid,
      end: leaf.end,
      depth,
      g: leaf.g - split.leftG,
      h: leaf.h - split.leftH,
      hist: leftSmaller ? large : small,
      split: null,
    };
    left.split = canSplit(depth, mid - leaf.start) ? bestSplit(left, cuts, options) : null;
    right.split = canSplit(depth, leaf.end - mid) ? bestSplit(right, cuts, options) : null;
    leaves.splice(best, 1, left, right);
  }

  const { scores, stride, offset } = update;
  for (const leaf of leaves) {
    const value = (-leaf.g / (leaf.h + options.l2)) * options.shrinkage;
    nodes.value[leaf.node] = value;
    for (let i = leaf.start; i < leaf.end; i++) scores[index[i]! * stride + offset]! += value;
  }
  return {
    feature: Int32Array.from(nodes.feature),
    threshold: Float64Array.from(nodes.threshold),
    binThreshold: Uint8Array.from(nodes.binThreshold),
    left: Int32Array.from(nodes.left),
    right: Int32Array.from(nodes.right),
    value: Float64Array.from(nodes.value),
  };
}

function bestSplit(leaf: Leaf, cuts: readonly Float64Array[], options: TreeOptions): Split | null {
  const { hist, g: G, h: H } = leaf;
  const count = leaf.end - leaf.start;
  const { l2, minSamplesLeaf, minChildWeight } = options;
  const parentScore = (G * G) / (H + l2);
  let best: Split | null = null;
  for (let f = 0; f < cuts.length; f++) {
    const lastBin = cuts[f]!.length; // bins 0..lastBin; a split after bin b for b < lastBin
    let gl = 0;
    let hl = 0;
    let cl = 0;
    for (let b = 0; b < lastBin; b++) {
      const o = (f * BINS + b) * 3;
      gl += hist[o]!;
      hl += hist[o + 1]!;
      cl += hist[o + 2]!;
      if (cl < minSamplesLeaf || hl < minChildWeight) continue;
      const cr = count - cl;
      const hr = H - hl;
      if (cr < minSamplesLeaf) break;
      if (hr < minChildWeight) continue;
      const gr = G - gl;
      const gain = (gl * gl) / (hl + l2) + (gr * gr) / (hr + l2) - parentScore;
      if (gain > 1e-12 && (best === null || gain > best.gain)) {
        best = { gain, feature: f, bin: b, leftG: gl, leftH: hl, leftCount: cl };
      }
    }
  }
  return best;
}

/**
 * Moves the rows of `index[start..end)` going left to the front, keeping each side in its
 * original (ascending) order; returns where the right ones begin. A stable partition keeps every
 * leaf's rows in row order, so building its histogram walks the binned matrix and the gradients
 * forwards instead of jumping around them (cache misses dominated the unstable version at 1M rows).
 */
function partition(
  binned: BinnedMatrix,
  index: Uint32Array,
  start: number,
  end: number,
  feature: number,
  bin: number,
  scratch: Uint32Array,
): number {
  const { cols, bins } = binned;
  let left = start;
  let right = 0;
  // Branch-free: every row is written to both sides and only the right side's cursor moves (the
  // sign of bin - value says which); a branch on the comparison is mispredicted half the time.
  // index[left] is already read (left <= i), so writing it is safe.
  for (let i = start; i < end; i++) {
    const row = index[i]!;
    const goRight = (bin - bins[row * cols + feature]!) >>> 31;
    index[left] = row;
    scratch[right] = row;
    left += 1 - goRight;
    right += goRight;
  }
  index.set(scratch.subarray(0, right), left);
  return left;
}

/** A tree's output for one row of the binned training matrix. */
export function treeValueBinned(tree: Tree, bins: Uint8Array, base: number): number {
  let node = 0;
  while (tree.feature[node]! >= 0) {
    node =
      bins[base + tree.feature[node]!]! <= tree.binThreshold[node]! ? tree.left[node]! : tree.right[node]!;
  }
  return tree.value[node]!;
}
