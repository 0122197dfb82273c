import { DEFAULT_ALIAS, type JsonValue, StrataError, step, t } from '@strata/core';
import { z } from 'zod';
import type { GateDecision } from '../evaluate/gate.js';
import type { TrainedModel } from '../models/bundle.js';
import { registryOf } from './components.js';
import type { EvaluationReport } from './evaluate.js';

export interface PushResult {
  readonly model: string;
  readonly version: number;
  readonly promoted: boolean;
  readonly alias: string;
  readonly reason: string;
}

/**
 * Registers the model as a new version (linked to this run, its artifact and its metrics) and moves
 * the alias to it only when the gate blessed it.
 */
export const push = step({
  name: 'push',
  inputs: {
    model: t.json<TrainedModel>(),
    evaluation: t.json<EvaluationReport>(),
    decision: t.json<GateDecision>(),
  },
  outputs: { pushed: t.json<PushResult>() },
  params: z.object({ modelName: z.string().min(1), alias: z.string().default(DEFAULT_ALIAS) }),
  cache: false,
  async run({ model, evaluation, decision }, { modelName, alias }, ctx) {
    const [artifact] = ctx.inputArtifacts('model');
    if (!artifact) {
      throw new StrataError('push: the model input has no artifact', {
        code: 'missing_input',
        field: 'model',
        value: null,
        fix: 'wire the trainer output to push({ model })',
      });
    }
    const { registry } = registryOf(ctx);
    const version = await registry.register({
      model: modelName,
      artifactId: artifact.id,
      runId: ctx.runId,
      metrics: evaluation.candidate.metrics as unknown as JsonValue,
      metadata: {
        adapter: model.adapter,
        task: model.task,
        hyperParameters: model.hyperParameters as JsonValue,
        blessed: decision.blessed,
        gateReason: decision.reason,
        baselineVersion: evaluation.baseline?.version ?? null,
      },
    });
    if (decision.blessed) {
      await registry.promote(modelName, version.version, {
        alias,
        reason: decision.reason,
        actor: `pipeline:${ctx.pipelineName}/${ctx.runId}`,
      });
    }
    ctx.log({ version: version.version, promoted: decision.blessed });
    ctx.logger.info(
      `registered ${modelName} v${version.version}${decision.blessed ? `, now ${alias}` : ` (not promoted: ${decision.reason})`}`,
    );
    return {
      pushed: {
        model: modelName,
        version: version.version,
        promoted: decision.blessed,
        alias,
        reason: decision.reason,
      },
    };
  },
});
