import type { HyperParameters, ModelAdapter, ModelJSON, Target, Task } from '../models/adapter.js';
import { type EncodedLabels, isEncodedLabels } from '../models/encoded-labels.js';
import type { BinnedMatrix } from '../models/gbdt/binning.js';
import type { DenseMatrix } from '../models/gbdt/matrix.js';
import { GradientBoostingAdapter } from '../models/gradient-boosting.js';
import { threadedTeam } from './block-threads.js';
import { threadCount } from './threads.js';

/** The CPU-bound jobs a worker thread runs; plain data only (structured clone, typed arrays transferred). */
export type CpuTask =
  | {
      readonly kind: 'fit';
      readonly adapter: string;
      readonly task: Task;
      /** Gradient boosting also takes its features already binned (shared memory, see binTransformed). */
      readonly X: DenseMatrix | BinnedMatrix;
      /** Encoded labels (shared memory) for gradient boosting; JS values for the other adapters. */
      readonly y: readonly Target[] | EncodedLabels;
      readonly hyper: HyperParameters;
      /** Threads gradient boosting's per-row work runs on (default threadCount()). */
      readonly threads?: number;
    }
  | { readonly kind: 'predict'; readonly model: ModelJSON; readonly X: DenseMatrix };

export interface FitResult {
  readonly model: ModelJSON;
  readonly importance?: number[];
}

export interface PredictResult {
  /** Per row; left empty when `codes` are given (see predictionsOf). */
  readonly predictions: Target[];
  /**
   * Classification on gradient boosting: the predicted class index per row (into the model's
   * classes). A typed array crosses back from a worker in one transfer; a string per row is cloned.
   */
  readonly codes?: Int32Array;
  /** Classification: probabilities row by row, `classes.length` per row. */
  readonly probabilities?: Float64Array;
}

export type Progress = (done: number, total: number) => void;

/** Runs one task in the current thread (the worker's body, and the fallback for adapters a worker cannot load). */
export async function runCpuTask(
  task: CpuTask,
  progress: Progress = () => {},
): Promise<FitResult | PredictResult> {
  if (task.kind === 'fit') {
    if (task.adapter === 'gradient-boosting') {
      const model = new GradientBoostingAdapter(task.task);
      const threads = task.threads ?? threadCount();
      if (isBinned(task.X))
        model.fitBinned(task.X, task.y, task.hyper, progress, (state) => threadedTeam(state, threads));
      else model.fitMatrix(task.X, task.y, task.hyper, progress);
      return { model: model.toJSON(), importance: model.featureImportance() };
    }
    // The registry (and the forest, regression and network libraries behind it) is loaded only for
    // the other adapters: a worker that fits or predicts gradient boosting starts faster without it.
    const { createModel } = await import('../models/registry.js');
    const model = createModel(task.adapter, task.task);
    if (isBinned(task.X)) throw new Error(`${task.adapter} takes feature values, not bins`);
    if (isEncodedLabels(task.y)) throw new Error(`${task.adapter} takes labels as values, not encoded`);
    try {
      await model.fit(rowsOf(task.X), task.y, task.hyper);
      progress(1, 1);
      const importance = model.featureImportance?.();
      return { model: model.toJSON(), ...(importance ? { importance } : {}) };
    } finally {
      model.dispose?.();
    }
  }
  const model: ModelAdapter =
    task.model.kind === 'gradient-boosting'
      ? GradientBoostingAdapter.restore(task.model)
      : await (await import('../models/registry.js')).loadModel(task.model);
  try {
    if (model instanceof GradientBoostingAdapter) {
      if (task.model.task === 'classification') {
        const { codes, probabilities } = model.predictCodes(task.X);
        return { predictions: [], codes, probabilities };
      }
      return { predictions: model.predictMatrix(task.X) };
    }
    const rows = rowsOf(task.X);
    if (task.model.task === 'classification' && model.predictProba) {
      return { predictions: model.predict(rows), probabilities: flatten(model.predictProba(rows)) };
    }
    return { predictions: model.predict(rows) };
  } finally {
    (model as ModelAdapter).dispose?.();
  }
}

/** The predictions of a result: its own, or its class codes as the model's class names. */
export function predictionsOf(result: PredictResult, classes: readonly string[] | undefined): Target[] {
  const { codes } = result;
  if (!codes) return result.predictions;
  const out: Target[] = new Array(codes.length);
  for (let r = 0; r < codes.length; r++) out[r] = classes![codes[r]!]!;
  return out;
}

function isBinned(X: DenseMatrix | BinnedMatrix): X is BinnedMatrix {
  return 'bins' in X;
}

function rowsOf(X: DenseMatrix): number[][] {
  const rows: number[][] = new Array(X.rows);
  for (let r = 0; r < X.rows; r++) rows[r] = Array.from(X.data.subarray(r * X.cols, (r + 1) * X.cols));
  return rows;
}

function flatten(rows: readonly (readonly number[])[]): Float64Array {
  const width = rows[0]?.length ?? 0;
  const out = new Float64Array(rows.length * width);
  for (let r = 0; r < rows.length; r++) out.set(rows[r]!, r * width);
  return out;
}
