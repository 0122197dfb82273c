import type { BlockTeam } from './block-team.js';
import { BINS, BLOCK_ROWS, type BlockState, JOB } from './row-blocks.js';

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
  count: number;
  depth: number;
  g: number;
  h: number;
  hist: Float64Array;
  split: Split | null;
}

/**
 * A split's tasks are runs of whole blocks expected to hold at least this many rows of the child
 * whose histogram is built: each task zeroes and fills a partial histogram (43 KB for 7 features)
 * that is then added up, so a task must carry enough rows to be worth it.
 */
const TASK_ROWS = BLOCK_ROWS / 2;

/** The fit a tree grows in: the per-row state (row-blocks.ts), who runs its tasks, the features' cut points. */
export interface TreeFit {
  readonly state: BlockState;
  readonly team: BlockTeam;
  readonly cuts: readonly Float64Array[];
}

/**
 * Grows one tree of output `k` leaf-wise (best gain first, like LightGBM) on the rows the state
 * marks for trees (see row-blocks.ts), with histogram subtraction: at each split the smaller
 * child's histogram is built (block by block, the partials added in task order) and the larger
 * one's is the parent's minus it. `withState`: the tree is its round's first, so the round's
 * probabilities are computed first. Adds the tree's values to the scores (the rows it was grown on
 * by their leaf, the others by a walk) and its split gains to `importance`.
 */
export function growTree(
  fit: TreeFit,
  options: TreeOptions,
  importance: Float64Array,
  k: number,
  withState: boolean,
): Tree {
  const { state: s, team, cuts } = fit;
  const { cols, blocks, params, seg } = s;
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

  params[0] = JOB.treeStart;
  params[1] = k;
  params[2] = withState ? 1 : 0;
  team.run(eachBlock(s));
  const rootHist = sumPartials(s, blocks);
  let rows = 0;
  for (let j = 0; j < blocks; j++) rows += seg[2 * j + 1]! - seg[2 * j]!;
  // The root's totals from its histogram (any feature's bins hold every row once).
  let g = 0;
  let h = 0;
  if (cols > 0) {
    for (let b = 0; b < BINS; b++) {
      g += rootHist[b * 3]!;
      h += rootHist[b * 3 + 1]!;
    }
  } else {
    for (let j = 0; j < blocks; j++) {
      for (let i = seg[2 * j]!; i < seg[2 * j + 1]!; i++) {
        g += s.gh[2 * s.index[i]!]!;
        h += s.gh[2 * s.index[i]! + 1]!;
      }
    }
  }
  const root: Leaf = { node: newNode(), count: rows, depth: 0, g, h, hist: rootHist, split: null };
  root.split = canSplit(0, rows) ? bestSplit(root, cuts, options) : null;
  const leaves: Leaf[] = [root];

  while (leaves.length < options.maxLeaves) {
    let best = -1;
    for (let i = 0; i < leaves.length; i++) {
      const candidate = leaves[i]!.split;
      if (candidate && (best < 0 || candidate.gain > leaves[best]!.split!.gain)) best = i;
    }
    if (best < 0) break;
    const leaf = leaves[best]!;
    const split = leaf.split!;
    importance[split.feature]! += split.gain;
    const leftNode = newNode();
    const rightNode = newNode();
    nodes.feature[leaf.node] = split.feature;
    nodes.threshold[leaf.node] = cuts[split.feature]![split.bin]!;
    nodes.binThreshold[leaf.node] = split.bin;
    nodes.left[leaf.node] = leftNode;
    nodes.right[leaf.node] = rightNode;
    // The histogram's counts are exact: the left child holds leftCount rows. Histogram
    // subtraction: build the smaller child's histogram, the larger one is parent - smaller.
    const leftCount = split.leftCount;
    const rightCount = leaf.count - leftCount;
    const leftSmaller = leftCount <= rightCount;
    params[0] = JOB.split;
    params[2] = leftSmaller ? 1 : 0;
    params[3] = leaf.node;
    params[4] = split.feature;
    params[5] = split.bin;
    params[6] = leftNode;
    params[7] = rightNode;
    const tasks = splitTasks(s, leaf.node, Math.min(leftCount, rightCount) / leaf.count);
    team.run(tasks);
    const small = sumPartials(s, tasks);
    const large = leaf.hist;
    for (let i = 0; i < large.length; i++) large[i]! -= small[i]!;
    const depth = leaf.depth + 1;
    const left: Leaf = {
      node: leftNode,
      count: leftCount,
      depth,
      g: split.leftG,
      h: split.leftH,
      hist: leftSmaller ? small : large,
      split: null,
    };
    const right: Leaf = {
      node: rightNode,
      count: rightCount,
      depth,
      g: leaf.g - split.leftG,
      h: leaf.h - split.leftH,
      hist: leftSmaller ? large : small,
      split: null,
    };
    left.split = canSplit(depth, leftCount) ? bestSplit(left, cuts, options) : null;
    right.split = canSplit(depth, rightCount) ? bestSplit(right, cuts, options) : null;
    leaves.splice(best, 1, left, right);
  }

  for (const leaf of leaves) nodes.value[leaf.node] = (-leaf.g / (leaf.h + options.l2)) * options.shrinkage;
  const count = nodes.feature.length;
  s.treeFeature.set(nodes.feature);
  s.treeBin.set(nodes.binThreshold);
  s.treeLeft.set(nodes.left);
  s.treeRight.set(nodes.right);
  s.treeValue.set(nodes.value);
  params[0] = JOB.treeEnd;
  params[1] = k;
  params[8] = count;
  team.run(eachBlock(s));
  return {
    feature: Int32Array.from(nodes.feature),
    threshold: Float64Array.from(nodes.threshold),
    binThreshold: Uint8Array.from(nodes.binThreshold),
    left: Int32Array.from(nodes.left),
    right: Int32Array.from(nodes.right),
    value: Float64Array.from(nodes.value),
  };
}

/** One task per block; returns the task count. */
export function eachBlock(s: BlockState): number {
  for (let j = 0; j < s.blocks; j++) {
    s.tasks[2 * j] = j;
    s.tasks[2 * j + 1] = j + 1;
  }
  return s.blocks;
}

/**
 * A split's tasks: runs of consecutive blocks whose share (`smallShare` of the node's rows there)
 * of the smaller child comes to TASK_ROWS, so a small node is one task (one partial histogram to
 * add) and a large one is shared out. The cuts follow the rows alone, never the thread count.
 * Returns the task count.
 */
function splitTasks(s: BlockState, node: number, smallShare: number): number {
  const { blocks, seg, tasks } = s;
  const target = TASK_ROWS / Math.max(smallShare, 1e-9);
  let count = 0;
  let first = 0;
  let rows = 0;
  for (let j = 0; j < blocks; j++) {
    const o = 2 * (node * blocks + j);
    rows += seg[o + 1]! - seg[o]!;
    if (rows >= target || j === blocks - 1) {
      tasks[2 * count] = first;
      tasks[2 * count + 1] = j + 1;
      count++;
      first = j + 1;
      rows = 0;
    }
  }
  return count;
}

/** The partial histograms of tasks 0..count-1 added up, in task order. */
function sumPartials(s: BlockState, count: number): Float64Array {
  const length = s.histLength;
  const hist = new Float64Array(length);
  const partials = s.partials;
  for (let t = 0; t < count; t++) {
    const offset = t * length;
    for (let i = 0; i < length; i++) hist[i]! += partials[offset + i]!;
  }
  return hist;
}

function bestSplit(leaf: Leaf, cuts: readonly Float64Array[], options: TreeOptions): Split | null {
  const { hist, g: G, h: H } = leaf;
  const count = leaf.count;
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
