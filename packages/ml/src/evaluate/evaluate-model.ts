import type { Table } from 'apache-arrow';
import type { Dataset } from '../data/table.js';
import { columnValues, toTable } from '../data/table.js';
import { float64Column, isPlainUtf8, utf8Codes } from '../data/typed-columns.js';
import type { TrainedModel } from '../models/bundle.js';
import { predictTable, type TablePredictions } from '../models/predict-batch.js';
import type { ClassificationMetrics } from './classification.js';
import { type CodedOutcomes, codedClassificationMetrics } from './coded-classification.js';
import { interner } from './interner.js';
import type { RegressionMetrics } from './regression.js';
import { numericRegressionMetrics } from './regression.js';
import type { SliceEvaluation } from './slices.js';
import { slicedMetrics } from './slices.js';

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

/**
 * Predict `data` with the bundle and score it against its label column, overall and per slice. The
 * labels, predictions and probabilities stay typed arrays (class codes, flat probabilities) from the
 * table and the model to the metrics, and slices read them through row numbers: a 3M-row evaluation
 * makes no JS value per row. The metrics are those `classificationMetrics` / `regressionMetrics` and
 * `sliceMetrics` give for the same rows as JS values.
 */
export async function evaluateModel(
  bundle: TrainedModel,
  data: Dataset,
  options: EvaluateOptions = {},
): Promise<ModelEvaluation> {
  const all = toTable(data);
  const classification = bundle.task === 'classification';
  const labels = classification ? labelCodes(all, bundle.label) : labelNumbers(all, bundle.label);
  const predicted = await predictTable(bundle, all, options.signal ? { signal: options.signal } : {});
  let score: (rows?: Int32Array) => ClassificationMetrics | RegressionMetrics;
  if (classification) {
    const outcomes = codedOutcomes(labels as LabelCodes, predicted);
    score = (rows) => codedClassificationMetrics(outcomes, rows);
  } else {
    const guess = Float64Array.from(predicted.predictions ?? [], Number);
    score = (rows) => numericRegressionMetrics(labels as Float64Array, guess, rows);
  }
  const metrics = score();
  const buckets = options.buckets ?? 4;
  const slices = (options.sliceColumns ?? []).flatMap((column) => slicedMetrics(all, column, buckets, score));
  return { task: bundle.task, metrics, slices };
}

/** A label column as a code per row into its distinct values (as text). */
interface LabelCodes {
  readonly codes: Int32Array;
  readonly names: string[];
}

function missingLabel(label: string): Error {
  return new Error(`Evaluation data has rows without a value in the label column "${label}"`);
}

function labelCodes(table: Table, label: string): LabelCodes {
  const vector = table.getChild(label);
  if (vector && isPlainUtf8(vector)) {
    const { codes, values } = utf8Codes(vector);
    if (codes.includes(-1)) throw missingLabel(label);
    return { codes, names: values };
  }
  const names: string[] = [];
  const codeOf = interner(names);
  const codes = Int32Array.from(columnValues(table, label), (value) => {
    if (value === null) throw missingLabel(label);
    return codeOf(String(value));
  });
  return { codes, names };
}

function labelNumbers(table: Table, label: string): Float64Array {
  const vector = table.getChild(label);
  const numbers = vector ? float64Column(vector) : undefined;
  if (numbers) {
    if (numbers.some(Number.isNaN)) throw missingLabel(label);
    return numbers;
  }
  return Float64Array.from(columnValues(table, label), (value) => {
    if (value === null) throw missingLabel(label);
    return Number(value);
  });
}

/**
 * The labels' and the predictions' codes in one class-name space: the model's classes first (so the
 * predicted indices are codes as they are), then label values the model does not know.
 */
function codedOutcomes(labels: LabelCodes, predicted: TablePredictions): CodedOutcomes {
  const names = [...(predicted.classes ?? [])].map(String);
  const codeOf = interner(names);
  const labelCode = Int32Array.from(labels.names, codeOf);
  const truth = labels.codes.map((c) => labelCode[c]!);
  const guess = predicted.codes ?? Int32Array.from(predicted.predictions ?? [], (p) => codeOf(String(p)));
  const { classes, probabilities } = predicted;
  return {
    names,
    truth,
    guess,
    ...(probabilities && classes ? { probabilities, classes: classes.map(String) } : {}),
  };
}
