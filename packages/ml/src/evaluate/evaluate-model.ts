import type { Dataset } from '../data/table.js';
import { columnValues, toTable } from '../data/table.js';
import type { Target } from '../models/adapter.js';
import type { TrainedModel } from '../models/bundle.js';
import { predictBatch } from '../models/predict-batch.js';
import type { ClassificationMetrics } from './classification.js';
import { classificationMetrics } from './classification.js';
import type { RegressionMetrics } from './regression.js';
import { regressionMetrics } from './regression.js';
import type { SliceEvaluation } from './slices.js';
import { sliceMetrics } from './slices.js';

export interface ModelEvaluation {
  readonly task: TrainedModel['task'];
  readonly metrics: ClassificationMetrics | RegressionMetrics;
  readonly slices: SliceEvaluation[];
}

export interface EvaluateOptions {
  /** Columns to compute slice metrics for. */
  readonly sliceColumns?: readonly string[];
  /** Quantile buckets for numeric slice columns. Default 4. */
  readonly buckets?: number;
  /** Stops a large batch prediction (run on worker threads). */
  readonly signal?: AbortSignal;
}

/** Predict `data` with the bundle and score it against its label column, overall and per slice. */
export async function evaluateModel(
  bundle: TrainedModel,
  data: Dataset,
  options: EvaluateOptions = {},
): Promise<ModelEvaluation> {
  const all = toTable(data);
  const labels = columnValues(all, bundle.label);
  if (labels.some((v) => v === null)) {
    throw new Error(`Evaluation data has rows without a value in the label column "${bundle.label}"`);
  }
  const actual = labels as Target[];
  const { predictions, probabilities, classes } = await predictBatch(
    bundle,
    all,
    options.signal ? { signal: options.signal } : {},
  );
  const extra = { ...(probabilities ? { probabilities } : {}), ...(classes ? { classes } : {}) };
  const metrics =
    bundle.task === 'classification'
      ? classificationMetrics(actual, predictions, extra)
      : regressionMetrics(actual, predictions);
  const slices = (options.sliceColumns ?? []).flatMap((column) =>
    sliceMetrics({
      data: all,
      column,
      task: bundle.task,
      actual,
      predicted: predictions,
      ...extra,
      ...(options.buckets === undefined ? {} : { buckets: options.buckets }),
    }),
  );
  return { task: bundle.task, metrics, slices };
}
