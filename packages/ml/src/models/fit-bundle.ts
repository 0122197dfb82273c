import type { Table } from 'apache-arrow';
import { columnValues, selectRows } from '../data/table.js';
import type { TransformState } from '../features/transform.js';
import { transformToMatrix } from '../features/transform-matrix.js';
import type { Progress } from '../workers/cpu-tasks.js';
import { runInWorker } from '../workers/run-in-worker.js';
import type { HyperParameters, Target, Task } from './adapter.js';
import type { TrainedModel } from './bundle.js';
import { chooseAdapter } from './choose-adapter.js';
import { encodeLabelVector } from './encoded-labels.js';

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
 * Apply the fitted transform into a shared typed-array matrix and fit the model on a worker
 * thread, so that the calling thread's event loop (heartbeats, progress, timeouts, cancellation)
 * keeps running; returns the TrainedModel bundle.
 */
export async function fitBundle(options: FitBundleOptions): Promise<FittedBundle> {
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
  // Gradient boosting takes the labels encoded in shared memory; the other adapters JS values.
  const y =
    adapter === 'gradient-boosting'
      ? encodeLabelVector(vector, task)
      : (columnValues(table, label) as Target[]);
  const X = transformToMatrix(transform, table);
  const fitted = await runInWorker(
    { kind: 'fit', adapter, task, X, y, hyper: hyperParameters },
    {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    },
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
      label,
      ...(json.classes ? { classes: [...json.classes] } : {}),
      inputSchema: transform.inputs.map((input) => ({ ...input })),
      hyperParameters: { ...hyperParameters },
      transform,
      model: json,
    },
  };
}
