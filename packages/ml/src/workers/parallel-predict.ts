import type { ModelJSON, Target } from '../models/adapter.js';
import type { DenseMatrix } from '../models/gbdt/matrix.js';
import { type PredictResult, predictionsOf } from './cpu-tasks.js';
import { runInWorker, threadCount, type WorkerOptions } from './run-in-worker.js';

/** Below this many rows one thread is faster than starting workers. */
const MIN_ROWS_PER_THREAD = 20_000;

/**
 * Batch prediction split into contiguous row ranges, one worker thread per range (up to the
 * machine's cores), results joined in row order.
 */
export async function predictParallel(
  model: ModelJSON,
  X: DenseMatrix,
  options: WorkerOptions & { readonly threads?: number } = {},
): Promise<PredictResult> {
  const threads = Math.max(
    1,
    Math.min(options.threads ?? threadCount(), Math.floor(X.rows / MIN_ROWS_PER_THREAD)),
  );
  const size = Math.ceil(X.rows / threads);
  const parts = await Promise.all(
    Array.from({ length: threads }, (_, t) => {
      const start = t * size;
      const end = Math.min(X.rows, start + size);
      const slice: DenseMatrix = {
        rows: end - start,
        cols: X.cols,
        // A view of shared memory crosses to the worker without a copy; a plain buffer would be
        // cloned whole, so an ordinary matrix is sliced first.
        data:
          X.data.buffer instanceof SharedArrayBuffer
            ? X.data.subarray(start * X.cols, end * X.cols)
            : X.data.slice(start * X.cols, end * X.cols),
      };
      return runInWorker(
        { kind: 'predict', model, X: slice },
        options.signal ? { signal: options.signal } : {},
      );
    }),
  );
  const predictions: Target[] = [];
  for (const part of parts) for (const p of predictionsOf(part, model.classes)) predictions.push(p);
  if (!parts[0]?.probabilities) return { predictions };
  const probabilities = new Float64Array(parts.reduce((n, p) => n + (p.probabilities?.length ?? 0), 0));
  let at = 0;
  for (const part of parts) {
    probabilities.set(part.probabilities!, at);
    at += part.probabilities!.length;
  }
  return { predictions, probabilities };
}
