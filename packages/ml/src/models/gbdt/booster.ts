import { type BinnedMatrix, binMatrix } from './binning.js';
import { type BlockTeam, serialTeam, type TeamFor } from './block-team.js';
import { flatForest, forestScores } from './flat-forest.js';
import type { DenseMatrix } from './matrix.js';
import { BLOCK_ROWS, type BlockState, histogramLength, JOB, OBJECTIVE } from './row-blocks.js';
import type { Tree, TreeOptions } from './tree.js';
import { eachBlock, growTree } from './tree.js';

/** squared error (regression), log loss (two classes) or softmax cross-entropy (more). */
export type Objective = 'squared-error' | 'binary' | 'multiclass';

export interface BoosterOptions extends TreeOptions {
  readonly objective: Objective;
  /** Classes (multiclass), else 1. */
  readonly outputs: number;
  /** The most rounds; fewer when early stopping ends the fit. */
  readonly rounds: number;
  readonly maxBins: number;
  /** Share of rows each tree sees (sampled without replacement per round), in (0, 1]. */
  readonly subsample: number;
  readonly seed: number;
  /**
   * Early stopping: this share of the rows (drawn with `seed`) is held out and not trained on;
   * the fit stops once the held-out loss has not improved by more than `tol` for `nIterNoChange`
   * rounds, and keeps the rounds up to the best one. 0: no hold-out, every round.
   */
  readonly validationFraction: number;
  readonly nIterNoChange: number;
  readonly tol: number;
}

/** The fitted ensemble: `trees[round * outputs + k]` adds to output k; raw scores start at `init`. */
export interface Booster {
  readonly objective: Objective;
  readonly outputs: number;
  readonly init: number[];
  readonly trees: Tree[];
  /** Total split gain per feature (unnormalised). */
  readonly importance: number[];
}

/** What a fit did besides its model: rounds run, and the held-out loss per round when it stopped early. */
export interface FitReport {
  readonly rounds: number;
  readonly bestRound: number;
  readonly validationLoss: number[];
}

/**
 * Fit gradient-boosted trees on a dense matrix. `y` is the target (regression) or the class index
 * (classification). `onRound` is called after each round (progress, and a chance to stop).
 */
export function fitBooster(
  X: DenseMatrix,
  y: Float64Array,
  options: BoosterOptions,
  onRound: (round: number) => void = () => {},
): Booster {
  return fitBinned(binMatrix(X, options.maxBins), y, options, onRound);
}

/**
 * `fitBooster` on features already binned (e.g. straight from a table by `binTransformed`).
 * `teamFor` says who runs the per-row work (row-blocks.ts): this thread (serialTeam), or helper
 * threads too (threadedTeam in workers/); the model is the same either way.
 *
 * Per-row state is single precision (raw scores, the round's probabilities, gradients and
 * hessians: 4 bytes each, half of what float64 took at 10M rows); sums (histograms, leaf totals,
 * losses) are double precision. It lives in shared memory, so helper threads work on it in place.
 */
export function fitBinned(
  binned: BinnedMatrix,
  y: Float64Array,
  options: BoosterOptions,
  onRound: (round: number) => void = () => {},
  teamFor: TeamFor = serialTeam,
  report?: (report: FitReport) => void,
): Booster {
  const n = binned.rows;
  const K = options.outputs;
  const objective = options.objective;
  const random = mulberry32(options.seed);
  // The early-stopping hold-out: rows marked 2 in `role` (1: in this round's sample, 0: not).
  const role = shared(Uint8Array, n);
  let validationRows = 0;
  if (options.validationFraction > 0) {
    for (let r = 0; r < n; r++) {
      if (random() < options.validationFraction) {
        role[r] = 2;
        validationRows++;
      }
    }
    // Too few rows to hold any out (or to train on the rest): no early stopping.
    if (validationRows === 0 || validationRows === n) {
      role.fill(0);
      validationRows = 0;
    }
  }
  const trainRows = n - validationRows;
  const train = new Uint32Array(trainRows);
  for (let r = 0, t = 0; r < n; r++) if (role[r] !== 2) train[t++] = r;
  const init = initialScores(y, train, objective, K);
  const scores = shared(Float32Array, n * K);
  for (let r = 0; r < n; r++) for (let k = 0; k < K; k++) scores[r * K + k] = init[k]!;
  const sampleSize = Math.max(1, Math.min(trainRows, Math.round(trainRows * options.subsample)));
  const sampled = sampleSize < trainRows;
  const blocks = Math.max(1, Math.ceil(n / BLOCK_ROWS));
  const maxNodes = 2 * options.maxLeaves - 1;
  const histLength = histogramLength(binned.cols);
  const state: BlockState = {
    rows: n,
    cols: binned.cols,
    K,
    objective: OBJECTIVE[objective],
    blockRows: BLOCK_ROWS,
    blocks,
    sampled: sampled ? 1 : 0,
    histLength,
    bins: binned.bins,
    y: inSharedMemory(y),
    role,
    scores,
    // Per round, what the gradients are computed from (probabilities, or the scores for
    // regression), kept instead of gradients and hessians for every class: the same numbers in a
    // third of the memory.
    state: shared(Float32Array, n * K),
    gh: shared(Float32Array, 2 * n),
    index: shared(Uint32Array, n),
    seg: shared(Int32Array, 2 * maxNodes * blocks),
    tasks: shared(Int32Array, 2 * blocks),
    partials: shared(Float64Array, blocks * histLength),
    lossPartials: shared(Float64Array, blocks),
    params: shared(Int32Array, 16),
    treeFeature: shared(Int32Array, maxNodes),
    treeBin: shared(Int32Array, maxNodes),
    treeLeft: shared(Int32Array, maxNodes),
    treeRight: shared(Int32Array, maxNodes),
    treeValue: shared(Float64Array, maxNodes),
  };
  const importance = new Float64Array(binned.cols);
  const trees: Tree[] = [];
  const pool = sampled ? Uint32Array.from(train) : train;
  const team = teamFor(state);
  const fit = { state, team, cuts: binned.cuts };
  const losses: number[] = [];
  let best = { round: 0, loss: Number.POSITIVE_INFINITY, importance: new Float64Array(binned.cols) };
  let rounds = 0;
  try {
    if (validationRows > 0) {
      const loss = heldOutLoss(state, team) / validationRows;
      losses.push(loss);
      best = { round: 0, loss, importance: new Float64Array(binned.cols) };
    }
    for (let round = 0; round < options.rounds; round++) {
      if (sampled) sampleRows(pool, sampleSize, random, role);
      // Each class's tree grows on the same rows, from the round's probabilities (computed with
      // the first one), and adds its values to the scores as it ends.
      for (let k = 0; k < K; k++) trees.push(growTree(fit, options, importance, k, k === 0));
      rounds = round + 1;
      onRound(round);
      if (validationRows > 0) {
        const loss = heldOutLoss(state, team) / validationRows;
        losses.push(loss);
        if (loss < best.loss) best = { round: rounds, loss, importance: Float64Array.from(importance) };
        if (shouldStop(losses, options.nIterNoChange, options.tol)) break;
      }
    }
  } finally {
    team.close();
  }
  const kept = validationRows > 0 ? best.round : rounds;
  report?.({ rounds, bestRound: kept, validationLoss: losses });

  return {
    objective,
    outputs: K,
    init,
    trees: trees.slice(0, kept * K),
    importance: [...(validationRows > 0 ? best.importance : importance)],
  };
}

/** A typed array of `length` in shared memory (helper threads read and write it in place). */
function shared<T extends Float32Array | Float64Array | Int32Array | Uint32Array | Uint8Array>(
  make: { new (buffer: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number },
  length: number,
): T {
  return new make(new SharedArrayBuffer(Math.max(1, length) * make.BYTES_PER_ELEMENT)).subarray(
    0,
    length,
  ) as T;
}

function inSharedMemory(y: Float64Array): Float64Array {
  if (y.buffer instanceof SharedArrayBuffer) return y;
  const copy = shared(Float64Array, y.length);
  copy.set(y);
  return copy;
}

/** The held-out rows' summed loss: per block, added in block order. */
function heldOutLoss(state: BlockState, team: BlockTeam): number {
  state.params[0] = JOB.loss;
  const count = eachBlock(state);
  team.run(count);
  let sum = 0;
  for (let t = 0; t < count; t++) sum += state.lossPartials[t]!;
  return sum;
}

/**
 * scikit-learn's rule: stop when none of the last `patience` losses improved on the loss
 * `patience` rounds before them by more than `tol` (losses[0] is before the first round).
 */
export function shouldStop(losses: readonly number[], patience: number, tol: number): boolean {
  if (losses.length <= patience) return false;
  const reference = losses[losses.length - 1 - patience]! - tol;
  for (let i = losses.length - patience; i < losses.length; i++) if (losses[i]! < reference) return false;
  return true;
}

/** Raw scores (before the link function), `rows * outputs`. */
export function rawScores(booster: Booster, X: DenseMatrix): Float64Array {
  return forestScores(flatForest(booster), X);
}

/** Class probabilities per row (binary: [1-p, p]), from raw scores. */
export function probabilities(booster: Booster, raw: Float64Array, rows: number): number[][] {
  const out: number[][] = new Array(rows);
  if (booster.objective === 'binary') {
    for (let r = 0; r < rows; r++) {
      const p = sigmoid(raw[r]!);
      out[r] = [1 - p, p];
    }
    return out;
  }
  const K = booster.outputs;
  for (let r = 0; r < rows; r++) {
    const row = new Array<number>(K);
    softmaxInto(raw, r * K, K, row);
    out[r] = row;
  }
  return out;
}

function initialScores(y: Float64Array, rows: Uint32Array, objective: Objective, K: number): number[] {
  const n = rows.length;
  if (objective === 'squared-error') {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += y[rows[i]!]!;
    return [sum / n];
  }
  const counts = new Float64Array(objective === 'binary' ? 2 : K);
  for (let i = 0; i < n; i++) counts[y[rows[i]!]!]! += 1;
  const eps = 1e-15;
  if (objective === 'binary') {
    const p = Math.min(1 - eps, Math.max(eps, counts[1]! / n));
    return [Math.log(p / (1 - p))];
  }
  return [...counts].map((c) => Math.log(Math.max(eps, c / n)));
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

function softmaxInto(raw: Float64Array, base: number, K: number, out: number[] | Float64Array): void {
  let max = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < K; k++) max = Math.max(max, raw[base + k]!);
  let sum = 0;
  for (let k = 0; k < K; k++) {
    const e = Math.exp(raw[base + k]! - max);
    out[k] = e;
    sum += e;
  }
  for (let k = 0; k < K; k++) out[k] = out[k]! / sum;
}

/**
 * Partial Fisher-Yates over the training rows `pool`: the first `size` entries become a uniform
 * sample, marked 1 in `role` (the other training rows 0; held-out rows keep their 2).
 */
function sampleRows(pool: Uint32Array, size: number, random: () => number, role: Uint8Array): void {
  for (let i = 0; i < pool.length; i++) role[pool[i]!] = 0;
  for (let i = 0; i < size; i++) {
    const j = i + Math.floor(random() * (pool.length - i));
    const t = pool[i]!;
    pool[i] = pool[j]!;
    pool[j] = t;
    role[pool[i]!] = 1;
  }
}

/** A small seeded generator (mulberry32): the same seed gives the same model on every machine. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
