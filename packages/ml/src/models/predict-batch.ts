import type { Dataset } from '../data/table.js';
import { toTable } from '../data/table.js';
import { transformToMatrix } from '../features/transform-matrix.js';
import { predictParallel } from '../workers/parallel-predict.js';
import { canRunInWorker } from '../workers/run-in-worker.js';
import type { TrainedModel } from './bundle.js';
import type { DenseMatrix } from './gbdt/matrix.js';
import { type Predictions, predictRows } from './predict.js';

/** Tables smaller than this are predicted on the calling thread: starting workers would cost more. */
const WORKER_MIN_ROWS = 10_000;

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
  if (
    table.numRows < WORKER_MIN_ROWS ||
    !canRunInWorker({ kind: 'predict', model: bundle.model, X: EMPTY })
  ) {
    return predictRows(bundle, table);
  }
  let X: DenseMatrix | undefined = transformToMatrix(bundle.transform, table);
  const rows = X.rows;
  const result = await predictParallel(bundle.model, X, options.signal ? { signal: options.signal } : {});
  // Let go of the feature matrix (2M eval rows: 112 MB) before the per-row arrays below are made.
  X = undefined;
  if (!result.probabilities || bundle.task !== 'classification') return { predictions: result.predictions };
  const classes = [...(bundle.model.classes ?? bundle.classes ?? [])];
  const width = classes.length;
  const probabilities: number[][] = new Array(rows);
  for (let r = 0; r < rows; r++)
    probabilities[r] = Array.from(result.probabilities.subarray(r * width, (r + 1) * width));
  return { predictions: result.predictions, probabilities, classes };
}

const EMPTY = { rows: 0, cols: 0, data: new Float64Array(0) };
