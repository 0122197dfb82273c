import type { JsonValue, PipelineDefinition } from '@strata/core';
import { type TriggerCondition, withParamDeclared } from '@strata/core/plugin';

/**
 * The parameters a firing adds to the stored ones: the new data version for new-data triggers, the
 * upstream run id for run-completion triggers (when a param is named), nothing for the others.
 */
export function firingParams(condition: TriggerCondition, evidence: JsonValue): Record<string, unknown> {
  if (condition.kind === 'new_data') return { [condition.param]: evidence };
  if (condition.kind === 'run_completion' && condition.param !== undefined) {
    const run = (evidence as { runId?: unknown } | null)?.runId;
    return { [condition.param]: run };
  }
  return {};
}

/** The parameter a firing sets (firingParams), if any. */
export function firingParam(condition: TriggerCondition): string | undefined {
  return condition.kind === 'new_data' || condition.kind === 'run_completion' ? condition.param : undefined;
}

/**
 * `params` with the value of the firing's parameter cut to the fields the pipeline declares for it:
 * a data version has six, and a pipeline that reads only `added` declares only that. What the user
 * stored with the trigger is checked as typed.
 */
export function withFiringParamDeclared(
  pipeline: PipelineDefinition,
  params: Readonly<Record<string, unknown>>,
  param: string | undefined,
): Record<string, unknown> {
  return withParamDeclared(pipeline.spec.params, params, param);
}

/** Stand-ins with the shape of what a firing passes, so a pipeline can be compiled at create time. */
export function placeholderParams(condition: TriggerCondition): Record<string, unknown> {
  if (condition.kind === 'new_data') {
    return firingParams(condition, {
      uri: condition.source,
      digest: 'files:0',
      count: 0,
      added: [],
      changed: [],
    });
  }
  if (condition.kind === 'run_completion') return firingParams(condition, { runId: 'run-placeholder' });
  return {};
}
