import type { Dataset } from '../data/table.js';
import { columnType, columnValues, selectRows, toTable } from '../data/table.js';
import { applyTransform, fitTransform } from '../features/transform.js';
import type { TransformSpec } from '../features/transform-spec.js';
import { defaultTransformSpec } from '../features/transform-spec.js';
import type { HyperParameters, Target, Task } from './adapter.js';
import type { TrainedModel } from './bundle.js';
import { createModel } from './registry.js';

export interface TrainModelOptions {
  readonly data: Dataset;
  readonly label: string;
  readonly task: Task;
  /** Adapter kind: random-forest, logistic-regression, dense-network, or one registered. */
  readonly adapter: string;
  readonly hyperParameters?: HyperParameters;
  /** Default: every other column with the default treatment for its type (see `defaultTransformSpec`). */
  readonly transform?: TransformSpec;
}

/**
 * Fit the transform and the model on `data` and return the JSON bundle `predictRows` serves from.
 * Rows without a label are left out of training.
 */
export async function trainModel(options: TrainModelOptions): Promise<TrainedModel> {
  const { label, task, adapter: kind } = options;
  const all = toTable(options.data);
  const labelled = columnValues(all, label)
    .map((value, index) => (value === null ? -1 : index))
    .filter((index) => index >= 0);
  if (labelled.length === 0) throw new Error(`No row has a value in the label column "${label}"`);
  if (task === 'regression' && columnType(all, label) !== 'numeric') {
    throw new Error(`Regression needs a numeric label, but "${label}" is ${columnType(all, label)}`);
  }
  const table = labelled.length === all.numRows ? all : selectRows(all, labelled);
  const spec = options.transform ?? defaultTransformSpec(table, { label });
  const transform = fitTransform(table, spec, { label });
  const { X } = applyTransform(transform, table);
  const y = columnValues(table, label) as Target[];

  const hyperParameters = { ...(options.hyperParameters ?? {}) };
  const model = createModel(kind, task);
  try {
    await model.fit(X, y, hyperParameters);
    const json = model.toJSON();
    return {
      format: 'strata.trained-model',
      version: 1,
      adapter: kind,
      task,
      label,
      ...(json.classes ? { classes: [...json.classes] } : {}),
      inputSchema: transform.inputs.map((input) => ({ ...input })),
      hyperParameters,
      transform,
      model: json,
    };
  } finally {
    model.dispose?.();
  }
}
