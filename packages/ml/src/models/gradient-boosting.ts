import type {
  HyperParameters,
  ModelAdapter,
  ModelAdapterFactory,
  ModelJSON,
  Target,
  Task,
} from './adapter.js';
import { assertFitted, hyperNumber } from './adapter.js';
import { argMax, classListOf, encodeLabels, regressionTargets } from './classes.js';
import { type EncodedLabels, isEncodedLabels } from './encoded-labels.js';
import { type BinnedMatrix, binMatrix } from './gbdt/binning.js';
import type { TeamFor } from './gbdt/block-team.js';
import type { Booster, BoosterOptions, FitReport } from './gbdt/booster.js';
import { fitBinned, probabilities as probabilities_, rawScores } from './gbdt/booster.js';
import type { DenseMatrix } from './gbdt/matrix.js';
import { matrixFromRows } from './gbdt/matrix.js';
import { type BoosterJSON, boosterFromJSON, boosterToJSON } from './gbdt/serialize.js';

/** Above this many rows early stopping is on by default (scikit-learn's `early_stopping='auto'`). */
export const EARLY_STOPPING_ROWS = 10_000;

/**
 * The defaults follow scikit-learn's HistGradientBoosting: at most 100 rounds at learning rate 0.1,
 * 31 leaves, 20 rows a leaf, 255 bins; above 10,000 rows, early stopping on a 10 % hold-out (the
 * fit stops once the held-out loss has not improved by 1e-7 in 10 rounds). Unlike scikit-learn, a
 * little L2 (1) for small data, and the model keeps the rounds up to the best held-out loss.
 */
export function boosterOptions(
  hyper: HyperParameters,
  objective: BoosterOptions['objective'],
  outputs: number,
  rows = 0,
) {
  const early = hyper.earlyStopping ?? 'auto';
  const stopEarly = early === 'auto' ? rows > EARLY_STOPPING_ROWS : early === true;
  const options: BoosterOptions = {
    objective,
    outputs,
    rounds: hyperNumber(hyper, 'nEstimators', 100),
    shrinkage: hyperNumber(hyper, 'learningRate', 0.3),
    maxLeaves: hyperNumber(hyper, 'maxLeaves', 31),
    maxDepth: hyperNumber(hyper, 'maxDepth', 0),
    minSamplesLeaf: hyperNumber(hyper, 'minSamplesLeaf', 20),
    minChildWeight: hyperNumber(hyper, 'minChildWeight', 1e-3),
    l2: hyperNumber(hyper, 'l2', 1),
    maxBins: hyperNumber(hyper, 'maxBins', 255),
    subsample: hyperNumber(hyper, 'subsample', 1),
    seed: hyperNumber(hyper, 'seed', 42),
    validationFraction: stopEarly ? hyperNumber(hyper, 'validationFraction', 0.1) : 0,
    nIterNoChange: hyperNumber(hyper, 'nIterNoChange', 10),
    tol: hyperNumber(hyper, 'tol', 1e-7),
  };
  const check = (ok: boolean, name: string, rule: string) => {
    if (!ok) throw new Error(`Hyper-parameter "${name}" must be ${rule}, got ${JSON.stringify(hyper[name])}`);
  };
  check(Number.isInteger(options.rounds) && options.rounds >= 1, 'nEstimators', 'a whole number >= 1');
  check(options.shrinkage > 0 && options.shrinkage <= 1, 'learningRate', 'in (0, 1]');
  check(Number.isInteger(options.maxLeaves) && options.maxLeaves >= 2, 'maxLeaves', 'a whole number >= 2');
  check(options.minSamplesLeaf >= 1, 'minSamplesLeaf', '>= 1');
  check(options.l2 >= 0, 'l2', '>= 0');
  check(
    Number.isInteger(options.maxBins) && options.maxBins >= 2 && options.maxBins <= 256,
    'maxBins',
    'a whole number in [2, 256]',
  );
  check(options.subsample > 0 && options.subsample <= 1, 'subsample', 'in (0, 1]');
  check(early === 'auto' || typeof early === 'boolean', 'earlyStopping', 'true, false or "auto"');
  check(
    !stopEarly || (options.validationFraction > 0 && options.validationFraction < 1),
    'validationFraction',
    'in (0, 1)',
  );
  check(
    Number.isInteger(options.nIterNoChange) && options.nIterNoChange >= 1,
    'nIterNoChange',
    'a whole number >= 1',
  );
  check(options.tol >= 0, 'tol', '>= 0');
  return options;
}

/**
 * Histogram-based gradient-boosted trees (LightGBM-style: features binned to at most 256 values,
 * leaf-wise growth, histogram subtraction) on typed arrays. Hyper-parameters: nEstimators (most
 * rounds, 100), learningRate (0.1), maxLeaves (31), maxDepth (0 = unlimited), minSamplesLeaf (20),
 * l2 (1), maxBins (255), subsample (1), seed (42), earlyStopping ('auto': above 10,000 rows),
 * validationFraction (0.1), nIterNoChange (10), tol (1e-7). See docs/ml.md.
 */
export class GradientBoostingAdapter implements ModelAdapter {
  readonly kind = 'gradient-boosting';
  private booster: Booster | undefined;
  private hyper: HyperParameters = {};
  /** The last fit's rounds (and held-out losses when it stopped early); not serialised. */
  report: FitReport | undefined;
  classes: string[] | undefined;

  constructor(readonly task: Task) {}

  async fit(
    X: readonly (readonly number[])[],
    y: readonly Target[],
    hyper: HyperParameters = {},
  ): Promise<void> {
    this.fitMatrix(matrixFromRows(X), y, hyper);
  }

  /** The typed-array path: no per-row arrays. `onRound` reports progress. */
  fitMatrix(
    X: DenseMatrix,
    y: readonly Target[] | EncodedLabels,
    hyper: HyperParameters = {},
    onRound?: (round: number, rounds: number) => void,
  ): void {
    const maxBins = boosterOptions(hyper, 'squared-error', 1).maxBins;
    this.fitBinned(binMatrix(X, maxBins), y, hyper, onRound);
  }

  /**
   * Fit on features already binned (`binTransformed` bins them straight from a table, so no float
   * matrix of all features is held); the same model as `fitMatrix` on the unbinned values.
   */
  fitBinned(
    X: BinnedMatrix,
    y: readonly Target[] | EncodedLabels,
    hyper: HyperParameters = {},
    onRound?: (round: number, rounds: number) => void,
    teamFor?: TeamFor,
  ): void {
    if (X.rows === 0) throw new Error('Cannot fit a model on no rows');
    const count = isEncodedLabels(y) ? (y.kind === 'classes' ? y.codes.length : y.values.length) : y.length;
    if (X.rows !== count) throw new Error(`X has ${X.rows} rows but y has ${count} labels`);
    this.hyper = { ...hyper };
    let target: Float64Array;
    let objective: BoosterOptions['objective'] = 'squared-error';
    let outputs = 1;
    if (isEncodedLabels(y)) {
      if (y.kind !== (this.task === 'classification' ? 'classes' : 'values'))
        throw new Error(`labels encoded as ${y.kind} do not fit a ${this.task} task`);
    }
    if (this.task === 'classification') {
      if (isEncodedLabels(y) && y.kind === 'classes') {
        this.classes = [...y.classes];
        target = y.codes;
      } else {
        const labels = y as readonly Target[];
        this.classes = classListOf(labels);
        target = Float64Array.from(encodeLabels(labels, this.classes));
      }
      if (this.classes.length > 2) {
        objective = 'multiclass';
        outputs = this.classes.length;
      } else objective = 'binary';
    } else
      target =
        isEncodedLabels(y) && y.kind === 'values'
          ? y.values
          : Float64Array.from(regressionTargets(y as readonly Target[]));
    const options = boosterOptions(hyper, objective, outputs, X.rows);
    this.booster = fitBinned(
      X,
      target,
      options,
      (round) => onRound?.(round + 1, options.rounds),
      teamFor,
      (report) => {
        this.report = report;
      },
    );
  }

  predict(X: readonly (readonly number[])[]): Target[] {
    return this.predictMatrix(matrixFromRows(X));
  }

  predictMatrix(X: DenseMatrix): Target[] {
    return this.predictBoth(X).predictions;
  }

  predictProba(X: readonly (readonly number[])[]): number[][] {
    return this.predictProbaMatrix(matrixFromRows(X));
  }

  predictProbaMatrix(X: DenseMatrix): number[][] {
    return this.predictBoth(X).probabilities ?? [];
  }

  /**
   * Predictions and (classification) probabilities from one walk of the trees: the most probable
   * class of each row, as predict and predictProba give it.
   */
  predictBoth(X: DenseMatrix): { predictions: Target[]; probabilities?: number[][] } {
    const booster = assertFitted(this.booster, this.kind);
    if (this.task === 'regression') return { predictions: [...rawScores(booster, X)] };
    const classes = assertFitted(this.classes, this.kind);
    if (X.rows === 0) return { predictions: [], probabilities: [] };
    if (classes.length === 1)
      return {
        predictions: Array.from({ length: X.rows }, () => classes[0]!),
        probabilities: Array.from({ length: X.rows }, () => [1]),
      };
    const probabilities = probabilities_(booster, rawScores(booster, X), X.rows);
    return { predictions: probabilities.map((p) => classes[argMax(p)]!), probabilities };
  }

  /**
   * Classification as typed arrays, for batch prediction on worker threads: the most probable class
   * index per row (the first on a tie, as argMax) and the probabilities row by row (binary:
   * [1-p, p]). No array or string per row, so nothing per row is cloned back to the caller.
   */
  predictCodes(X: DenseMatrix): { codes: Int32Array; probabilities: Float64Array } {
    const booster = assertFitted(this.booster, this.kind);
    const classes = assertFitted(this.classes, this.kind);
    const rows = X.rows;
    const codes = new Int32Array(rows);
    if (classes.length === 1) return { codes, probabilities: new Float64Array(rows).fill(1) };
    const raw = rawScores(booster, X);
    if (booster.objective === 'binary') {
      const probabilities = new Float64Array(rows * 2);
      for (let r = 0; r < rows; r++) {
        const p = 1 / (1 + Math.exp(-raw[r]!));
        probabilities[2 * r] = 1 - p;
        probabilities[2 * r + 1] = p;
        codes[r] = p > 1 - p ? 1 : 0;
      }
      return { codes, probabilities };
    }
    // Softmax in place: the raw scores become the probabilities.
    const K = booster.outputs;
    for (let r = 0; r < rows; r++) {
      const base = r * K;
      let max = Number.NEGATIVE_INFINITY;
      for (let k = 0; k < K; k++) max = Math.max(max, raw[base + k]!);
      let sum = 0;
      for (let k = 0; k < K; k++) {
        const e = Math.exp(raw[base + k]! - max);
        raw[base + k] = e;
        sum += e;
      }
      let best = 0;
      for (let k = 0; k < K; k++) {
        raw[base + k] = raw[base + k]! / sum;
        if (raw[base + k]! > raw[base + best]!) best = k;
      }
      codes[r] = best;
    }
    return { codes, probabilities: raw };
  }

  /** Total split gain per feature, normalised to sum to 1 (all zeros when no tree split). */
  featureImportance(): number[] {
    const { importance } = assertFitted(this.booster, this.kind);
    const total = importance.reduce((a, b) => a + b, 0);
    return importance.map((v) => (total > 0 ? v / total : 0));
  }

  toJSON(): ModelJSON {
    const booster = assertFitted(this.booster, this.kind);
    return {
      kind: this.kind,
      task: this.task,
      ...(this.classes ? { classes: [...this.classes] } : {}),
      hyper: this.hyper,
      state: boosterToJSON(booster),
    };
  }

  static restore(json: ModelJSON): GradientBoostingAdapter {
    const adapter = new GradientBoostingAdapter(json.task);
    adapter.hyper = json.hyper;
    if (json.task === 'classification') adapter.classes = [...(json.classes ?? [])];
    adapter.booster = boosterFromJSON(json.state as BoosterJSON);
    return adapter;
  }
}

export const gradientBoosting: ModelAdapterFactory = {
  kind: 'gradient-boosting',
  tasks: ['classification', 'regression'],
  create: (task) => new GradientBoostingAdapter(task),
  fromJSON: async (json) => GradientBoostingAdapter.restore(json),
};
