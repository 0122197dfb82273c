import type { Dataset } from '../data/table.js';
import { columnType, columnValues, selectRows, toTable } from '../data/table.js';
import { fitTransform } from '../features/transform.js';
import type { TransformSpec } from '../features/transform-spec.js';
import { defaultTransformSpec } from '../features/transform-spec.js';
import type { HyperParameters, Task } from './adapter.js';
import type { TrainedModel } from './bundle.js';
import { fitBundle } from './fit-bundle.js';

export interface TrainModelOptions {
  readonly data: Dataset;
  readonly label: string;
  readonly task: Task;
  /** Adapter kind: gradient-boosting, random-forest, logistic-regression, dense-network, or one registered. */
  readonly adapter: string;
  readonly hyperParameters?: HyperParameters;
  /** Default: every other column with the default treatment for its type (see `defaultTransformSpec`). */
  readonly transform?: TransformSpec;
  /** Stops training (the worker thread it runs on is terminated). */
  readonly signal?: AbortSignal;
}

/**
 * Fit the transform and the model on `data` and return the JSON bundle `predictRows` serves from.
 * Rows without a label are left out of training. The model is fitted on a worker thread.
 */
export async function trainModel(options: TrainModelOptions): Promise<TrainedModel> {
  const { label, task, adapter } = options;
  const all = toTable(options.data);
  const labels = columnValues(all, label);
  const labelled: number[] = [];
  for (let i = 0; i < labels.length; i++) if (labels[i] !== null) labelled.push(i);
  if (labelled.length === 0) throw new Error(`No row has a value in the label column "${label}"`);
  // The transform is fitted on the rows the model learns from.
  const table = labelled.length === all.numRows ? all : selectRows(all, labelled);
  if (task === 'regression' && columnType(table, label) !== 'numeric') {
    throw new Error(`Regression needs a numeric label, but "${label}" is ${columnType(table, label)}`);
  }
  const spec = options.transform ?? defaultTransformSpec(table, { label });
  const transform = fitTransform(table, spec, { label });
  const { bundle } = await fitBundle({
    table,
    transform,
    task,
    adapter,
    hyperParameters: { ...(options.hyperParameters ?? {}) },
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return bundle;
}
