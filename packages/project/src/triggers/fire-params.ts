import type { JsonValue } from '@strata/core';
import type { TriggerCondition } from '@strata/core/plugin';

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
