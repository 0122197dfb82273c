import { step, t } from '@strata/core';
import type { Table } from 'apache-arrow';
import { z } from 'zod';
import { columnValues, selectRows } from '../data/table.js';
import { applyTransform, type TransformState } from '../features/transform.js';
import type { Target } from '../models/adapter.js';
import type { TrainedModel } from '../models/bundle.js';
import { createModel } from '../models/registry.js';

export const trainParams = z.object({
  /** gradient-boosting, random-forest, logistic-regression, dense-network, or a kind added with registerModelAdapter. */
  adapter: z.string().min(1).default('random-forest'),
  task: z.enum(['classification', 'regression']),
  hyperParameters: z
    .record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.array(z.number())]))
    .default({}),
});

/** Feature name -> importance, largest first, rounded for readable metadata. */
export function importanceByName(
  names: readonly string[],
  importance: readonly number[],
): Record<string, number> {
  return Object.fromEntries(
    names
      .map((name, i) => [name, Number((importance[i] ?? 0).toFixed(6))] as const)
      .sort((a, b) => b[1] - a[1]),
  );
}

/**
 * Trains a model on the training split through the fitted transform and returns the TrainedModel
 * bundle: the model together with that transform and its input schema, served as is.
 */
export const train = step({
  name: 'train',
  inputs: { train: t.table<Table>(), transform: t.json<TransformState>() },
  outputs: { model: t.json<TrainedModel>() },
  params: trainParams,
  async run({ train: data, transform }, { adapter, task, hyperParameters }, ctx) {
    const label = transform.label;
    const labelled = columnValues(data, label)
      .map((v, i) => (v === null ? -1 : i))
      .filter((i) => i >= 0);
    const table = labelled.length === data.numRows ? data : selectRows(data, labelled);
    const { X } = applyTransform(transform, table);
    const y = columnValues(table, label) as Target[];
    const model = createModel(adapter, task);
    try {
      await model.fit(X, y, hyperParameters);
      const json = model.toJSON();
      ctx.log({ adapter, trainRows: X.length, features: transform.featureNames.length });
      const importance = model.featureImportance?.();
      if (importance)
        ctx.log(
          { featureImportance: importanceByName(transform.featureNames, importance) },
          { output: 'model' },
        );
      return {
        model: {
          format: 'strata.trained-model',
          version: 1,
          adapter,
          task,
          label,
          ...(json.classes ? { classes: [...json.classes] } : {}),
          inputSchema: transform.inputs.map((input) => ({ ...input })),
          hyperParameters,
          transform,
          model: json,
        } satisfies TrainedModel,
      };
    } finally {
      model.dispose?.();
    }
  },
});
