import { type BinnedMatrix, binMatrix } from './binning.js';
import { type HistogramBuilder, serialHistograms } from './histogram.js';
import type { DenseMatrix } from './matrix.js';
import type { Tree, TreeOptions } from './tree.js';
import { growTree, treeValue, treeValueBinned } from './tree.js';

/** squared error (regression), log loss (two classes) or softmax cross-entropy (more). */
export type Objective = 'squared-error' | 'binary' | 'multiclass';

export interface BoosterOptions extends TreeOptions {
  readonly objective: Objective;
  /** Classes (multiclass), else 1. */
  readonly outputs: number;
  readonly rounds: number;
  readonly maxBins: number;
  /** Share of rows each tree sees (sampled without replacement per round), in (0, 1]. */
  readonly subsample: number;
  readonly seed: number;
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
 * read (row index, gradients, hessians; in shared memory), e.g. threadedHistograms in workers/.
 */
export type HistogramsFor = (
  binned: BinnedMatrix,
  index: Uint32Array,
  grad: Float64Array,
  hess: Float64Array,
) => HistogramBuilder;

/** `fitBooster` on features already binned (e.g. straight from a table by `binTransformed`). */
export function fitBinned(
  binned: BinnedMatrix,
  y: Float64Array,
  options: BoosterOptions,
  onRound: (round: number) => void = () => {},
  histogramsFor: HistogramsFor = (b) => serialHistograms(b),
): Booster {
  const n = binned.rows;
  const K = options.outputs;
  const init = initialScores(y, options.objective, K);
  const scores = new Float64Array(n * K);
  for (let r = 0; r < n; r++) for (let k = 0; k < K; k++) scores[r * K + k] = init[k]!;
  // Per round, what the gradients are computed from (probabilities, or the scores for regression),
  // kept instead of gradients and hessians for every class: half the memory (8M rows x 3 classes
  // is 190 MB an array), the same numbers.
  const state = new Float64Array(n * K);
  // Shared memory: helper threads build histograms from these without a copy.
  const gk = sharedFloat64(n);
  const hk = sharedFloat64(n);
  const importance = new Float64Array(binned.cols);
  const trees: Tree[] = [];
  const all = new Uint32Array(n);
  for (let i = 0; i < n; i++) all[i] = i;
  const random = mulberry32(options.seed);
  const sampleSize = Math.max(1, Math.min(n, Math.round(n * options.subsample)));
  const index = new Uint32Array(new SharedArrayBuffer(Math.max(1, sampleSize) * 4)).subarray(0, sampleSize);
  const inSample = new Uint8Array(n);
  const histograms = histogramsFor(binned, index, gk, hk);
  try {
    for (let round = 0; round < options.rounds; round++) {
      roundState(options.objective, K, scores, state);
      if (sampleSize < n) {
        sampleRows(all, sampleSize, random, inSample);
        // Rows in ascending order: histograms then read memory forwards (see partition in tree.ts).
        // The sampled rows are the marked ones, so a scan of the marks sorts them in O(n) (what
        // sorting the sample gave, at a tenth of the time for millions of rows).
        let at = 0;
        for (let r = 0; r < n; r++) if (inSample[r]) all[at++] = r;
      }
      for (let k = 0; k < K; k++) {
        gradientsOf(options.objective, K, k, y, state, gk, hk);
        if (sampleSize < n) index.set(all.subarray(0, sampleSize));
        else index.set(all);
        const update = { scores, stride: K, offset: k };
        const tree = growTree(binned, index, gk, hk, options, importance, update, histograms);
        if (sampleSize < n) {
          // Rows outside the sample got no leaf update from growTree: walk the tree for them.
          for (let r = 0; r < n; r++) {
            if (!inSample[r]) scores[r * K + k]! += treeValueBinned(tree, binned.bins, r * binned.cols);
          }
        }
        trees.push(tree);
      }
      onRound(round);
    }
  } finally {
    histograms.close();
  }
  return { objective: options.objective, outputs: K, init, trees, importance: [...importance] };
}

function sharedFloat64(n: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(Math.max(1, n) * 8)).subarray(0, n);
}

/** Raw scores (before the link function), `rows * outputs`. */
export function rawScores(booster: Booster, X: DenseMatrix): Float64Array {
  const K = booster.outputs;
  const out = new Float64Array(X.rows * K);
  for (let r = 0; r < X.rows; r++) {
    const base = r * X.cols;
    for (let k = 0; k < K; k++) out[r * K + k] = booster.init[k]!;
    for (let t = 0; t < booster.trees.length; t++) {
      out[r * K + (t % K)]! += treeValue(booster.trees[t]!, X.data, base);
    }
  }
  return out;
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

function initialScores(y: Float64Array, objective: Objective, K: number): number[] {
  const n = y.length;
  if (objective === 'squared-error') {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += y[i]!;
    return [sum / n];
  }
  const counts = new Float64Array(objective === 'binary' ? 2 : K);
  for (let i = 0; i < n; i++) counts[y[i]!]! += 1;
  const eps = 1e-15;
  if (objective === 'binary') {
    const p = Math.min(1 - eps, Math.max(eps, counts[1]! / n));
    return [Math.log(p / (1 - p))];
  }
  return [...counts].map((c) => Math.log(Math.max(eps, c / n)));
}

/** The round's inputs to the gradients: scores (regression) or probabilities (classification). */
function roundState(objective: Objective, K: number, scores: Float64Array, state: Float64Array): void {
  const n = scores.length / K;
  if (objective === 'squared-error') state.set(scores);
  else if (objective === 'binary') for (let r = 0; r < n; r++) state[r] = sigmoid(scores[r]!);
  else {
    const p = new Float64Array(K);
    for (let r = 0; r < n; r++) {
      softmaxInto(scores, r * K, K, p);
      for (let k = 0; k < K; k++) state[r * K + k] = p[k]!;
    }
  }
}

/** Gradients and hessians of output `k` from the round's state. */
function gradientsOf(
  objective: Objective,
  K: number,
  k: number,
  y: Float64Array,
  state: Float64Array,
  grad: Float64Array,
  hess: Float64Array,
): void {
  const n = y.length;
  if (objective === 'squared-error') {
    for (let r = 0; r < n; r++) {
      grad[r] = state[r]! - y[r]!;
      hess[r] = 1;
    }
    return;
  }
  if (objective === 'binary') {
    for (let r = 0; r < n; r++) {
      const p = state[r]!;
      grad[r] = p - y[r]!;
      hess[r] = Math.max(p * (1 - p), 1e-16);
    }
    return;
  }
  for (let r = 0; r < n; r++) {
    const pk = state[r * K + k]!;
    grad[r] = pk - (k === y[r]! ? 1 : 0);
    hess[r] = Math.max(pk * (1 - pk), 1e-16);
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

/** Partial Fisher-Yates: the first `size` entries of `all` become a uniform sample; marks them. */
function sampleRows(all: Uint32Array, size: number, random: () => number, inSample: Uint8Array): void {
  inSample.fill(0);
  for (let i = 0; i < size; i++) {
    const j = i + Math.floor(random() * (all.length - i));
    const t = all[i]!;
    all[i] = all[j]!;
    all[j] = t;
    inSample[all[i]!] = 1;
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
