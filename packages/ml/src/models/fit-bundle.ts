import type { Table } from 'apache-arrow';
import { columnValues, selectRows } from '../data/table.js';
import type { TransformState } from '../features/transform.js';
import { binTransformed } from '../features/transform-bins.js';
import { transformToMatrix } from '../features/transform-matrix.js';
import type { Progress } from '../workers/cpu-tasks.js';
import { runInWorker, type WorkerOptions } from '../workers/run-in-worker.js';
import { threadCount } from '../workers/threads.js';
import type { HyperParameters, Target, Task } from './adapter.js';
import type { TrainedModel } from './bundle.js';
import { chooseAdapter } from './choose-adapter.js';
import { type EncodedLabels, encodeLabelVector } from './encoded-labels.js';
import type { BinnedMatrix } from './gbdt/binning.js';
import type { DenseMatrix } from './gbdt/matrix.js';
import { boosterOptions } from './gradient-boosting.js';

export interface FitBundleOptions {
  /** Training rows; rows without a label are left out. */
  readonly table: Table;
  readonly transform: TransformState;
  readonly task: Task;
  /** A kind, or `auto` (see chooseAdapter). */
  readonly adapter: string;
  readonly hyperParameters: HyperParameters;
  /** Aborting stops training at once (the worker thread is terminated). */
  readonly signal?: AbortSignal;
  readonly onProgress?: Progress;
  /**
   * Threads gradient boosting builds its histograms on (default: the machine's cores, capped by
   * STRATA_ML_THREADS; see threadCount). The model is the same for any number.
   */
  readonly threads?: number;
  /** Told, before fitting, which adapter `auto` chose or that the one asked for is slow at this size. */
  readonly onNote?: (note: string) => void;
}

export interface FittedBundle {
  readonly bundle: TrainedModel;
  readonly trainRows: number;
  /** Per feature column (transform.featureNames order), when the model reports it. */
  readonly importance?: number[];
}

/**
 * Apply the fitted transform into shared typed arrays and fit the model on a worker thread, so
 * that the calling thread's event loop (heartbeats, progress, timeouts, cancellation) keeps
 * running; returns the TrainedModel bundle. Gradient boosting gets its features binned straight
 * from the table (one byte a cell, no float64 matrix).
 *
 * The table is read synchronously, before this returns its promise, and not referenced after:
 * a caller that lets go of the table while training runs (as the tabular bench does) frees it.
 */
export function fitBundle(options: FitBundleOptions): Promise<FittedBundle> {
  try {
    return prepareAndFit(options);
  } catch (error) {
    return Promise.reject(error);
  }
}

function prepareAndFit(options: FitBundleOptions): Promise<FittedBundle> {
  const { transform, task, hyperParameters } = options;
  const label = transform.label;
  const vector = options.table.getChild(label);
  if (!vector) throw new Error(`The label column "${label}" is not in the table`);
  if (vector.length === vector.nullCount)
    throw new Error(`No row has a value in the label column "${label}"`);
  let table = options.table;
  if (vector.nullCount > 0) {
    const labelled: number[] = [];
    for (let i = 0; i < vector.length; i++) if (vector.isValid(i)) labelled.push(i);
    table = selectRows(options.table, labelled);
  }
  const { adapter, note } = chooseAdapter(options.adapter, table.numRows);
  if (note) options.onNote?.(note);
  // Gradient boosting takes the labels encoded and its features binned, in shared memory; the
  // other adapters JS label values and a float64 matrix.
  const boosting = adapter === 'gradient-boosting';
  const y = boosting ? encodeLabelVector(vector, task) : (columnValues(table, label) as Target[]);
  const X = boosting
    ? binTransformed(transform, table, boosterOptions(hyperParameters, 'squared-error', 1).maxBins)
    : transformToMatrix(transform, table);
  const work = {
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    // Read here, on the calling thread, so a bad STRATA_ML_THREADS fails before a worker starts.
    threads: options.threads ?? threadCount(),
  };
  return fitPrepared({ transform, task, adapter, hyperParameters }, X, y, work);
}

async function fitPrepared(
  spec: Pick<FitBundleOptions, 'transform' | 'task' | 'adapter' | 'hyperParameters'>,
  X: DenseMatrix | BinnedMatrix,
  y: readonly Target[] | EncodedLabels,
  work: WorkerOptions & { threads?: number },
): Promise<FittedBundle> {
  const { transform, task, adapter, hyperParameters } = spec;
  const { threads, ...options } = work;
  const fitted = await runInWorker(
    {
      kind: 'fit',
      adapter,
      task,
      X,
      y,
      hyper: hyperParameters,
      ...(threads === undefined ? {} : { threads }),
    },
    options,
  );
  const json = fitted.model;
  return {
    trainRows: X.rows,
    ...(fitted.importance ? { importance: fitted.importance } : {}),
    bundle: {
      format: 'strata.trained-model',
      version: 1,
      adapter,
      task,
      label: transform.label,
      ...(json.classes ? { classes: [...json.classes] } : {}),
      inputSchema: transform.inputs.map((input) => ({ ...input })),
      hyperParameters: { ...hyperParameters },
      transform,
      model: json,
    },
  };
}
