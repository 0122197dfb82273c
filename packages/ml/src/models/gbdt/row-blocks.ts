/**
 * The per-row work of a gradient-boosting fit, done block by block: the training matrix's rows
 * are cut into fixed blocks of BLOCK_ROWS rows (by row number), and every per-row pass (the
 * round's probabilities, gradients and hessians, the partition of a leaf's rows at a split, the
 * histogram of a leaf's rows, adding a tree's values to the scores, the held-out loss) works on
 * one block's rows only. Each block keeps its own slice of the row index, ordered by leaf: a
 * node's rows in block j sit at `index[seg[2 * (node * blocks + j)] .. seg[... + 1])`, ascending.
 *
 * A job (one of the kinds below, its parameters in `params`) is cut into tasks, each a run of
 * consecutive blocks (`tasks[2t] .. tasks[2t + 1]`). Tasks write only their own blocks' rows
 * and their own slot of `partials` / `lossPartials`, and the caller adds the slots up in task
 * order; the task cuts depend on the data alone, never on the number of threads. So whether one
 * thread runs every task or several threads share them, every sum is made in the same order and
 * the model is bit-identical.
 *
 * Every function below is self-contained (no imports, no outer names, no inner functions; they
 * call only each other): helper threads run their source text (see workerSource and
 * workers/block-threads.ts), so a helper starts in milliseconds without loading modules.
 */

/** Rows per block. A block's tasks are never split, so a leaf's work spreads over at most this many blocks' tasks. */
export const BLOCK_ROWS = 32_768;

/** Histogram stride: every feature gets 256 bins of (gradient, hessian, count). */
export const BINS = 256;

/** Doubles in one histogram of `cols` features. */
export const histogramLength = (cols: number): number => cols * BINS * 3;

/** Job kinds (params[0]). */
export const JOB = {
  /** params[1] = output k, params[2] = 1 to first compute the round's probabilities. */
  treeStart: 1,
  /** params[3] = node, [4] = feature, [5] = bin, [6] = left node, [7] = right node, [2] = 1: histogram the left child. */
  split: 2,
  /** params[1] = output k, params[8] = nodes in the tree (written to tree*). */
  treeEnd: 3,
  /** The held-out rows' loss, per task into lossPartials. */
  loss: 4,
} as const;

/** Objective codes (BlockState.objective). */
export const OBJECTIVE = { 'squared-error': 0, binary: 1, multiclass: 2 } as const;

/** Everything a task reads and writes; the arrays live in shared memory when helpers share the work. */
export interface BlockState {
  readonly rows: number;
  readonly cols: number;
  /** Outputs (classes for multiclass, else 1). */
  readonly K: number;
  readonly objective: number;
  readonly blockRows: number;
  readonly blocks: number;
  /** 1: the trees grow on the rows marked 1 in `role` (a subsample), else on every row not marked 2. */
  readonly sampled: number;
  readonly histLength: number;
  readonly bins: Uint8Array;
  readonly y: Float64Array;
  /** Per row: 2 held out (early stopping), 1 in this round's sample, 0 otherwise. */
  readonly role: Uint8Array;
  readonly scores: Float32Array;
  /** The round's probabilities (or scores, regression), `rows * K`. */
  readonly state: Float32Array;
  /** Gradient and hessian of the current output, interleaved (`gh[2r]`, `gh[2r + 1]`). */
  readonly gh: Float32Array;
  readonly index: Uint32Array;
  readonly seg: Int32Array;
  readonly tasks: Int32Array;
  readonly partials: Float64Array;
  readonly lossPartials: Float64Array;
  readonly params: Int32Array;
  readonly treeFeature: Int32Array;
  readonly treeBin: Int32Array;
  readonly treeLeft: Int32Array;
  readonly treeRight: Int32Array;
  readonly treeValue: Float64Array;
}

/** Runs task `t` of the job in `s.params`. `scratch` (blockRows long) is the calling thread's own. */
export function runBlockTask(s: BlockState, t: number, scratch: Uint32Array): void {
  const kind = s.params[0]!;
  const first = s.tasks[2 * t]!;
  const end = s.tasks[2 * t + 1]!;
  if (kind === 1) {
    const offset = t * s.histLength;
    s.partials.fill(0, offset, offset + s.histLength);
    for (let j = first; j < end; j++) treeStartBlock(s, j, offset);
  } else if (kind === 2) {
    const offset = t * s.histLength;
    s.partials.fill(0, offset, offset + s.histLength);
    for (let j = first; j < end; j++) splitBlock(s, j, offset, scratch);
  } else if (kind === 3) {
    for (let j = first; j < end; j++) treeEndBlock(s, j);
  } else if (kind === 4) {
    let sum = 0;
    for (let j = first; j < end; j++) sum += blockLoss(s, j);
    s.lossPartials[t] = sum;
  } else throw new Error(`unknown block job ${kind}`);
}

/**
 * A tree's start in block j: (for output 0) the round's probabilities, then the gradients and
 * hessians of output params[1] of the rows it grows on, those rows ascending as the root's slice
 * of the index, and their histogram added at `partials[offset..]`.
 */
export function treeStartBlock(s: BlockState, j: number, offset: number): void {
  const { K, y, role, scores, state, gh, index } = s;
  const k = s.params[1]!;
  const from = j * s.blockRows;
  const to = Math.min(s.rows, from + s.blockRows);
  let at = from;
  if (s.sampled === 1) {
    for (let r = from; r < to; r++) if (role[r] === 1) index[at++] = r;
  } else {
    for (let r = from; r < to; r++) if (role[r] !== 2) index[at++] = r;
  }
  // One loop per objective (and per pass), so each is a tight loop with no test inside.
  if (s.objective === 0) {
    if (s.params[2]! === 1) for (let i = from; i < at; i++) state[index[i]!] = scores[index[i]!]!;
    for (let i = from; i < at; i++) {
      const r = index[i]!;
      gh[2 * r] = state[r]! - y[r]!;
      gh[2 * r + 1] = 1;
    }
  } else if (s.objective === 1) {
    if (s.params[2]! === 1) {
      for (let i = from; i < at; i++) state[index[i]!] = 1 / (1 + Math.exp(-scores[index[i]!]!));
    }
    for (let i = from; i < at; i++) {
      const r = index[i]!;
      const p = state[r]!;
      gh[2 * r] = p - y[r]!;
      gh[2 * r + 1] = Math.max(p * (1 - p), 1e-16);
    }
  } else {
    if (s.params[2]! === 1) {
      for (let i = from; i < at; i++) {
        const base = index[i]! * K;
        let max = Number.NEGATIVE_INFINITY;
        for (let c = 0; c < K; c++) max = Math.max(max, scores[base + c]!);
        let sum = 0;
        for (let c = 0; c < K; c++) {
          const e = Math.exp(scores[base + c]! - max);
          state[base + c] = e;
          sum += e;
        }
        for (let c = 0; c < K; c++) state[base + c]! /= sum;
      }
    }
    for (let i = from; i < at; i++) {
      const r = index[i]!;
      const pk = state[r * K + k]!;
      gh[2 * r] = pk - (k === y[r]! ? 1 : 0);
      gh[2 * r + 1] = Math.max(pk * (1 - pk), 1e-16);
    }
  }
  const o = 2 * j; // node 0
  s.seg[o] = from;
  s.seg[o + 1] = at;
  addHistogram(s.bins, s.cols, index, from, at, gh, s.partials, offset);
}

/**
 * A split in block j: the rows of node params[3] in this block are partitioned (stably) into the
 * left child (bin <= params[5] of feature params[4]) and the right one, whose slices are recorded,
 * and the histogram of the child named by params[2] is added at `partials[offset..]`.
 */
export function splitBlock(s: BlockState, j: number, offset: number, scratch: Uint32Array): void {
  const p = s.params;
  const blocks = s.blocks;
  const o = 2 * (p[3]! * blocks + j);
  const start = s.seg[o]!;
  const end = s.seg[o + 1]!;
  const mid = partitionRows(s.bins, s.cols, s.index, start, end, p[4]!, p[5]!, scratch);
  const l = 2 * (p[6]! * blocks + j);
  const r = 2 * (p[7]! * blocks + j);
  s.seg[l] = start;
  s.seg[l + 1] = mid;
  s.seg[r] = mid;
  s.seg[r + 1] = end;
  if (p[2]! === 1) addHistogram(s.bins, s.cols, s.index, start, mid, s.gh, s.partials, offset);
  else addHistogram(s.bins, s.cols, s.index, mid, end, s.gh, s.partials, offset);
}

/**
 * Moves the rows of `index[start..end)` going left to the front, keeping each side in its
 * original (ascending) order; returns where the right ones begin. A stable partition keeps every
 * leaf's rows in row order, so building its histogram walks the binned matrix and the gradients
 * forwards instead of jumping around them (cache misses dominated the unstable version at 1M rows).
 */
export function partitionRows(
  bins: Uint8Array,
  cols: number,
  index: Uint32Array,
  start: number,
  end: number,
  feature: number,
  bin: number,
  scratch: Uint32Array,
): number {
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
  for (let i = 0; i < right; i++) index[left + i] = scratch[i]!;
  return left;
}

/**
 * A finished tree (tree* arrays, params[8] nodes) in block j: each leaf's value is added to output
 * params[1] of the rows it holds, and the rows it was not grown on (held out, or outside the
 * sample) get it by a walk.
 */
export function treeEndBlock(s: BlockState, j: number): void {
  const { K, scores, index, seg, blocks, treeFeature, treeValue, role, bins, cols } = s;
  const k = s.params[1]!;
  const nodes = s.params[8]!;
  for (let node = 0; node < nodes; node++) {
    if (treeFeature[node]! >= 0) continue;
    const value = treeValue[node]!;
    const o = 2 * (node * blocks + j);
    const end = seg[o + 1]!;
    for (let i = seg[o]!; i < end; i++) scores[index[i]! * K + k]! += value;
  }
  const sampled = s.sampled === 1;
  const from = j * s.blockRows;
  const to = Math.min(s.rows, from + s.blockRows);
  for (let r = from; r < to; r++) {
    if (sampled ? role[r] === 1 : role[r] !== 2) continue;
    let node = 0;
    const base = r * cols;
    while (treeFeature[node]! >= 0) {
      node = bins[base + treeFeature[node]!]! <= s.treeBin[node]! ? s.treeLeft[node]! : s.treeRight[node]!;
    }
    scores[r * K + k]! += treeValue[node]!;
  }
}

/** Sum of the held-out rows' losses in block j: half squared error, log loss, or cross-entropy. */
export function blockLoss(s: BlockState, j: number): number {
  const { K, objective, y, role, scores } = s;
  const from = j * s.blockRows;
  const to = Math.min(s.rows, from + s.blockRows);
  let sum = 0;
  for (let r = from; r < to; r++) {
    if (role[r] !== 2) continue;
    if (objective === 0) {
      const d = scores[r]! - y[r]!;
      sum += 0.5 * d * d;
    } else if (objective === 1) {
      // log(1 + e^-s) for y = 1, log(1 + e^s) for y = 0, without overflow.
      const v = y[r] === 1 ? scores[r]! : -scores[r]!;
      sum += v > 0 ? Math.log1p(Math.exp(-v)) : -v + Math.log1p(Math.exp(v));
    } else {
      const base = r * K;
      let max = Number.NEGATIVE_INFINITY;
      for (let c = 0; c < K; c++) max = Math.max(max, scores[base + c]!);
      let total = 0;
      for (let c = 0; c < K; c++) total += Math.exp(scores[base + c]! - max);
      sum += max + Math.log(total) - scores[base + y[r]!]!;
    }
  }
  return sum;
}

/** Adds rows `index[start..end)` to the histogram at `hist[offset...]`. */
export function addHistogram(
  bins: Uint8Array,
  cols: number,
  index: Uint32Array,
  start: number,
  end: number,
  gh: Float32Array,
  hist: Float64Array,
  offset: number,
): void {
  for (let i = start; i < end; i++) {
    const r = index[i]!;
    const g = gh[2 * r]!;
    const h = gh[2 * r + 1]!;
    const base = r * cols;
    for (let c = 0; c < cols; c++) {
      const o = offset + (c * 256 + bins[base + c]!) * 3;
      hist[o]! += g;
      hist[o + 1]! += h;
      hist[o + 2]! += 1;
    }
  }
}

/** The source text of every task function, for a helper thread to evaluate. */
export function blockTaskSource(): string {
  return [runBlockTask, treeStartBlock, splitBlock, partitionRows, treeEndBlock, blockLoss, addHistogram]
    .map((f) => f.toString())
    .join('\n');
}
