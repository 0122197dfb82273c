import { type BinnedMatrix, binMatrix } from './binning.js';
import { flatForest, forestScores } from './flat-forest.js';
import { type HistogramBuilder, serialHistograms } from './histogram.js';
import type { DenseMatrix } from './matrix.js';
import type { Tree, TreeOptions } from './tree.js';
import { growTree, treeValueBinned } from './tree.js';

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
 * Makes the histogram builder of a fit: given the binned features and the arrays the histograms
 * read (row index, interleaved gradients and hessians; in shared memory), e.g. threadedHistograms
 * in workers/.
 */
export type HistogramsFor = (binned: BinnedMatrix, index: Uint32Array, gh: Float32Array) => HistogramBuilder;

/**
 * `fitBooster` on features already binned (e.g. straight from a table by `binTransformed`).
 *
 * Per-row state is single precision (raw scores, the round's probabilities, gradients and
 * hessians: 4 bytes each, half of what float64 took at 10M rows); sums (histograms, leaf totals,
 * losses) are double precision.
 */
export function fitBinned(
  binned: BinnedMatrix,
  y: Float64Array,
  options: BoosterOptions,
  onRound: (round: number) => void = () => {},
  histogramsFor: HistogramsFor = (b) => serialHistograms(b),
  report?: (report: FitReport) => void,
): Booster {
  const n = binned.rows;
  const K = options.outputs;
  const objective = options.objective;
  const random = mulberry32(options.seed);
  // The early-stopping hold-out: rows marked 2 in `role` (1: in this round's sample, 0: not).
  const role = new Uint8Array(n);
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
  const held = new Uint32Array(validationRows);
  for (let r = 0, t = 0, v = 0; r < n; r++) {
    if (role[r] === 2) held[v++] = r;
    else train[t++] = r;
  }
  const init = initialScores(y, train, objective, K);
  const scores = new Float32Array(n * K);
  for (let r = 0; r < n; r++) for (let k = 0; k < K; k++) scores[r * K + k] = init[k]!;
  // Per round, what the gradients are computed from (probabilities, or the scores for regression),
  // kept instead of gradients and hessians for every class: the same numbers in a third of the memory.
  const state = new Float32Array(n * K);
  // Shared memory: helper threads build histograms from these without a copy.
  const gh = new Float32Array(new SharedArrayBuffer(Math.max(1, n) * 8)).subarray(0, 2 * n);
  const importance = new Float64Array(binned.cols);
  const trees: Tree[] = [];
  const sampleSize = Math.max(1, Math.min(trainRows, Math.round(trainRows * options.subsample)));
  const sampled = sampleSize < trainRows;
  const pool = sampled ? Uint32Array.from(train) : train;
  const index = new Uint32Array(new SharedArrayBuffer(Math.max(1, sampleSize) * 4)).subarray(0, sampleSize);
  const histograms = histogramsFor(binned, index, gh);
  const losses: number[] = [];
  let best = { round: 0, loss: Number.POSITIVE_INFINITY, importance: new Float64Array(binned.cols) };
  if (validationRows > 0) {
    const loss = heldOutLoss(objective, K, y, held, scores);
    losses.push(loss);
    best = { round: 0, loss, importance: new Float64Array(binned.cols) };
  }
  let rounds = 0;
  try {
    for (let round = 0; round < options.rounds; round++) {
      roundState(objective, K, train, scores, state);
      if (sampled) sampleRows(pool, sampleSize, random, role);
      for (let k = 0; k < K; k++) {
        gradientsOf(objective, K, k, y, train, state, gh);
        // Each tree starts from its rows in ascending order (growTree reorders them): histograms then
        // read memory forwards (see partition in tree.ts). The sampled rows are the marked ones, so a
        // scan of the marks sorts them in O(n).
        if (sampled) {
          let at = 0;
          for (let i = 0; i < trainRows; i++) if (role[train[i]!] === 1) index[at++] = train[i]!;
        } else index.set(train);
        const update = { scores, stride: K, offset: k };
        const tree = growTree(binned, index, gh, options, importance, update, histograms);
        // Rows the tree was not grown on (held out, or outside the sample) get its value by a walk.
        const { bins, cols } = binned;
        if (sampled) {
          for (let r = 0; r < n; r++) {
            if (role[r] !== 1) scores[r * K + k]! += treeValueBinned(tree, bins, r * cols);
          }
        } else {
          for (let i = 0; i < validationRows; i++) {
            const r = held[i]!;
            scores[r * K + k]! += treeValueBinned(tree, bins, r * cols);
          }
        }
        trees.push(tree);
      }
      rounds = round + 1;
      onRound(round);
      if (validationRows > 0) {
        const loss = heldOutLoss(objective, K, y, held, scores);
        losses.push(loss);
        if (loss < best.loss) best = { round: rounds, loss, importance: Float64Array.from(importance) };
        if (shouldStop(losses, options.nIterNoChange, options.tol)) break;
      }
    }
  } finally {
    histograms.close();
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

/** Mean loss of the held-out rows: half squared error, log loss, or multiclass cross-entropy. */
function heldOutLoss(
  objective: Objective,
  K: number,
  y: Float64Array,
  rows: Uint32Array,
  scores: Float32Array,
): number {
  let sum = 0;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (objective === 'squared-error') {
      const d = scores[r]! - y[r]!;
      sum += 0.5 * d * d;
    } else if (objective === 'binary') {
      // log(1 + e^-s) for y = 1, log(1 + e^s) for y = 0, without overflow.
      const s = y[r] === 1 ? scores[r]! : -scores[r]!;
      sum += s > 0 ? Math.log1p(Math.exp(-s)) : -s + Math.log1p(Math.exp(s));
    } else {
      const base = r * K;
      let max = Number.NEGATIVE_INFINITY;
      for (let k = 0; k < K; k++) max = Math.max(max, scores[base + k]!);
      let total = 0;
      for (let k = 0; k < K; k++) total += Math.exp(scores[base + k]! - max);
      sum += max + Math.log(total) - scores[base + y[r]!]!;
    }
  }
  return sum / rows.length;
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

/** The round's inputs to the gradients of the training rows: scores (regression) or probabilities. */
function roundState(
  objective: Objective,
  K: number,
  rows: Uint32Array,
  scores: Float32Array,
  state: Float32Array,
): void {
  const n = rows.length;
  if (objective === 'squared-error') {
    for (let i = 0; i < n; i++) state[rows[i]!] = scores[rows[i]!]!;
  } else if (objective === 'binary') {
    for (let i = 0; i < n; i++) state[rows[i]!] = sigmoid(scores[rows[i]!]!);
  } else {
    for (let i = 0; i < n; i++) {
      const base = rows[i]! * K;
      let max = Number.NEGATIVE_INFINITY;
      for (let k = 0; k < K; k++) max = Math.max(max, scores[base + k]!);
      let sum = 0;
      for (let k = 0; k < K; k++) {
        const e = Math.exp(scores[base + k]! - max);
        state[base + k] = e;
        sum += e;
      }
      for (let k = 0; k < K; k++) state[base + k]! /= sum;
    }
  }
}

/** Gradients and hessians of output `k` of the training rows, interleaved (`gh[2r]`, `gh[2r+1]`). */
function gradientsOf(
  objective: Objective,
  K: number,
  k: number,
  y: Float64Array,
  rows: Uint32Array,
  state: Float32Array,
  gh: Float32Array,
): void {
  const n = rows.length;
  if (objective === 'squared-error') {
    for (let i = 0; i < n; i++) {
      const r = rows[i]!;
      gh[2 * r] = state[r]! - y[r]!;
      gh[2 * r + 1] = 1;
    }
    return;
  }
  if (objective === 'binary') {
    for (let i = 0; i < n; i++) {
      const r = rows[i]!;
      const p = state[r]!;
      gh[2 * r] = p - y[r]!;
      gh[2 * r + 1] = Math.max(p * (1 - p), 1e-16);
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    const pk = state[r * K + k]!;
    gh[2 * r] = pk - (k === y[r]! ? 1 : 0);
    gh[2 * r + 1] = Math.max(pk * (1 - pk), 1e-16);
  }
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
