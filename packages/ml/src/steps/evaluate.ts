import { DEFAULT_ALIAS, ModelRegistry, step, t } from '@strata/core';
import type { Table } from 'apache-arrow';
import { z } from 'zod';
import { evaluateModel, type ModelEvaluation } from '../evaluate/evaluate-model.js';
import type { TrainedModel } from '../models/bundle.js';
import { releaseModel } from '../models/predict.js';
import { resolveModelVersion } from '../registry/load-model-version.js';

export interface EvaluationReport {
  readonly candidate: ModelEvaluation;
  /** The model the alias pointed at when the step ran, scored on the same eval data; null for the first model. */
  readonly baseline: { readonly version: number; readonly evaluation: ModelEvaluation } | null;
}

/**
 * Scores the candidate on the eval split, overall and per slice, and scores the current production
 * model (the registry's `model@alias`) on the same rows so the gate compares like with like.
 */
export const evaluate = step({
  name: 'evaluate',
  inputs: { model: t.json<TrainedModel>(), eval: t.table<Table>() },
  outputs: { evaluation: t.json<EvaluationReport>() },
  params: z.object({
    /** Registry name of the model; its `alias` version is the baseline. */
    modelName: z.string().min(1),
    alias: z.string().default(DEFAULT_ALIAS),
    sliceColumns: z.array(z.string()).default([]),
    buckets: z.number().int().min(1).default(4),
  }),
  // The baseline depends on the registry's state, not only on the inputs.
  cache: false,
  async run({ model, eval: data }, { modelName, alias, sliceColumns, buckets }, ctx) {
    const options = { sliceColumns, buckets, signal: ctx.signal };
    const candidate = await evaluateModel(model, data, options);
    const registry = ctx.component(ModelRegistry);
    let baseline: EvaluationReport['baseline'] = null;
    const version = (await registry.listModels()).some((m) => m.name === modelName)
      ? await registry.aliasVersion(modelName, alias)
      : undefined;
    if (version !== undefined) {
      // The stack's materializers: a baseline stored by a plugin's materializer loads too.
      const loaded = await resolveModelVersion(registry, `${modelName}@${version}`, (a) =>
        ctx.loadArtifact(a),
      );
      baseline = { version, evaluation: await evaluateModel(loaded.bundle, data, options) };
      await releaseModel(loaded.bundle);
    }
    await releaseModel(model);
    ctx.log({ candidate: candidate.metrics as never, baselineVersion: version ?? null });
    return { evaluation: { candidate, baseline } };
  },
});
