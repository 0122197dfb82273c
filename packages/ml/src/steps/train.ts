import { step, t } from '@strata/core';
import type { Table } from 'apache-arrow';
import { z } from 'zod';
import type { TransformState } from '../features/transform.js';
import { adapterProblem } from '../models/adapter-problem.js';
import type { TrainedModel } from '../models/bundle.js';
import { fitBundle } from '../models/fit-bundle.js';

export const trainParams = z
  .object({
    /**
     * gradient-boosting, random-forest, logistic-regression, dense-network, a kind added with
     * registerModelAdapter, or auto (random-forest up to 2,000 training rows, gradient-boosting above).
     */
    adapter: z.string().min(1).default('auto'),
    task: z.enum(['classification', 'regression']),
    hyperParameters: z
      .record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.array(z.number())]))
      .default({}),
  })
  .superRefine(({ adapter, task }, ctx) => {
    const problem = adapterProblem(adapter, task);
    if (problem) ctx.addIssue({ code: 'custom', path: ['adapter'], message: problem });
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
 * bundle: the model together with that transform and its input schema, served as is. Fitting runs
 * on a worker thread, so the step's running mark, heartbeats, timeout and cancellation keep working;
 * progress is logged about every 10 % of the rounds.
 */
export const train = step({
  name: 'train',
  inputs: { train: t.table<Table>(), transform: t.json<TransformState>() },
  outputs: { model: t.json<TrainedModel>() },
  params: trainParams,
  async run({ train: data, transform }, { adapter, task, hyperParameters }, ctx) {
    let reported = -1;
    const { bundle, trainRows, importance } = await fitBundle({
      table: data,
      transform,
      task,
      adapter,
      hyperParameters,
      signal: ctx.signal,
      onNote: (note) => ctx.logger.info(note),
      onProgress: (done, total) => {
        const tenth = Math.floor((10 * done) / total);
        if (tenth > reported) {
          reported = tenth;
          ctx.logger.info(`train: ${done}/${total} rounds`);
        }
      },
    });
    ctx.log({ adapter: bundle.adapter, trainRows, features: transform.featureNames.length });
    if (importance) {
      ctx.log(
        { featureImportance: importanceByName(transform.featureNames, importance) },
        { output: 'model' },
      );
    }
    return { model: bundle satisfies TrainedModel };
  },
});
