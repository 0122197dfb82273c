import type { Table } from 'apache-arrow';
import type { Dataset } from '../data/table.js';
import { toTable } from '../data/table.js';
import { transformToMatrix } from '../features/transform-matrix.js';
import { predictionsOf } from '../workers/cpu-tasks.js';
import { predictParallel } from '../workers/parallel-predict.js';
import { canRunInWorker } from '../workers/run-in-worker.js';
import type { Target } from './adapter.js';
import type { TrainedModel } from './bundle.js';
import { type Predictions, predictRows } from './predict.js';

/** Tables smaller than this are predicted on the calling thread: starting workers would cost more. */
const WORKER_MIN_ROWS = 10_000;

/**
 * Rows transformed into one feature matrix at a time. The matrix is 8 bytes a feature cell (a 3M-row
 * evaluation in one piece: 168 MB); each piece starts the worker threads again (~0.1 s each), so a
 * piece is large: a 1M-row table is one.
 */
export const PREDICT_BATCH_ROWS = 1 << 20;

/**
 * A table's predictions as typed arrays, row-aligned with it: what evaluation reads, so a large
 * evaluation holds no JS value per row. A classifier that predicts class indices (gradient boosting)
 * gives `codes`; the others give `predictions`.
 */
export interface TablePredictions {
  readonly rows: number;
  /** Classification: the model's classes (what `codes` index, the columns of `probabilities`). */
  readonly classes?: string[];
  /** Per row, an index into `classes`. */
  readonly codes?: Int32Array;
  /** Per row, the prediction (when there are no `codes`). */
  readonly predictions?: Target[];
  /** Classification, when the model gives them: row-major, `classes.length` a row. */
  readonly probabilities?: Float64Array;
}

/**
 * Batch prediction for large tables: the transform writes a shared typed-array matrix and worker
 * threads (one per core) predict row ranges of it. The same results as `predictRows`.
 */
export async function predictBatch(
  bundle: TrainedModel,
  data: Dataset,
  options: { readonly signal?: AbortSignal } = {},
): Promise<Predictions> {
  const table = toTable(data);
  if (!onWorkers(bundle, table)) return predictRows(bundle, table);
  const result = await predictTable(bundle, table, options);
  const predictions = result.codes
    ? predictionsOf({ predictions: [], codes: result.codes }, result.classes)
    : result.predictions!;
  if (!result.probabilities || !result.classes) return { predictions };
  const width = result.classes.length;
  const probabilities: number[][] = new Array(result.rows);
  for (let r = 0; r < result.rows; r++)
    probabilities[r] = Array.from(result.probabilities.subarray(r * width, (r + 1) * width));
  return { predictions, probabilities, classes: result.classes };
}

/**
 * `predictBatch` as typed arrays (see TablePredictions): large tables are predicted on worker
 * threads PREDICT_BATCH_ROWS rows at a time, into arrays of the whole table's length.
 */
export async function predictTable(
  bundle: TrainedModel,
  data: Dataset,
  options: {
    readonly signal?: AbortSignal;
    /** Rows per feature matrix (default PREDICT_BATCH_ROWS). */
    readonly batchRows?: number;
  } = {},
): Promise<TablePredictions> {
  const table = toTable(data);
  const rows = table.numRows;
  if (!onWorkers(bundle, table)) {
    const { predictions, probabilities, classes } = await predictRows(bundle, table);
    if (!probabilities || !classes) return { rows, predictions };
    const width = classes.length;
    const flat = new Float64Array(rows * width);
    for (let r = 0; r < rows; r++) {
      const row = probabilities[r]!;
      for (let k = 0; k < width; k++) flat[r * width + k] = row[k] ?? 0;
    }
    return { rows, predictions, classes, probabilities: flat };
  }
  const classification = bundle.task === 'classification';
  const classes = classification ? [...(bundle.model.classes ?? bundle.classes ?? [])] : undefined;
  let codes: Int32Array | undefined;
  let predictions: Target[] | undefined;
  let probabilities: Float64Array | undefined;
  const batch = Math.max(1, options.batchRows ?? PREDICT_BATCH_ROWS);
  for (let start = 0; start < rows; start += batch) {
    const end = Math.min(rows, start + batch);
    const part = await predictParallel(
      bundle.model,
      transformToMatrix(bundle.transform, sliceRows(table, start, end)),
      options.signal ? { signal: options.signal } : {},
    );
    if (part.codes) {
      codes ??= new Int32Array(rows);
      codes.set(part.codes, start);
    } else {
      predictions ??= [];
      for (const p of part.predictions) predictions.push(p);
    }
    if (classification && part.probabilities) {
      probabilities ??= new Float64Array(rows * classes!.length);
      probabilities.set(part.probabilities, start * classes!.length);
    }
  }
  return {
    rows,
    ...(classes ? { classes } : {}),
    ...(codes ? { codes } : { predictions: predictions ?? [] }),
    ...(probabilities ? { probabilities } : {}),
  };
}

function onWorkers(bundle: TrainedModel, table: Table): boolean {
  return (
    table.numRows >= WORKER_MIN_ROWS && canRunInWorker({ kind: 'predict', model: bundle.model, X: EMPTY })
  );
}

/** Rows [start, end) of a table without copying (the whole table when that is all of it). */
function sliceRows(table: Table, start: number, end: number): Table {
  return start === 0 && end === table.numRows ? table : table.slice(start, end);
}

const EMPTY = { rows: 0, cols: 0, data: new Float64Array(0) };
