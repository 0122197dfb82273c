import type { ModelJSON, Target } from '../models/adapter.js';
import type { DenseMatrix } from '../models/gbdt/matrix.js';
import { type PredictResult, predictionsOf } from './cpu-tasks.js';
import { runInWorker, threadCount, type WorkerOptions } from './run-in-worker.js';

/** Below this many rows one thread is faster than starting workers. */
const MIN_ROWS_PER_THREAD = 20_000;

/**
 * Batch prediction split into contiguous row ranges, one worker thread per range (up to the
 * machine's cores), results joined in row order. Class indices from gradient boosting come back as
 * `codes` (an Int32Array, no string per row); `predictionsOf` names them.
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
  const probabilities = joinFloats(parts.map((p) => p.probabilities));
  const extra = probabilities ? { probabilities } : {};
  if (parts.length === 1 && parts[0]!.codes) return parts[0]!;
  if (parts.every((p) => p.codes)) {
    // Class indices stay an Int32Array (see predictionsOf for the class names).
    const codes = new Int32Array(X.rows);
    let row = 0;
    for (const part of parts) {
      codes.set(part.codes!, row);
      row += part.codes!.length;
    }
    return { predictions: [], codes, ...extra };
  }
  const predictions: Target[] = [];
  for (const part of parts) for (const p of predictionsOf(part, model.classes)) predictions.push(p);
  return { predictions, ...extra };
}

/** The parts' arrays end to end; undefined when the first part has none. */
function joinFloats(parts: readonly (Float64Array | undefined)[]): Float64Array | undefined {
  if (!parts[0]) return undefined;
  if (parts.length === 1) return parts[0];
  const joined = new Float64Array(parts.reduce((n, p) => n + (p?.length ?? 0), 0));
  let at = 0;
  for (const part of parts) {
    joined.set(part!, at);
    at += part!.length;
  }
  return joined;
}
