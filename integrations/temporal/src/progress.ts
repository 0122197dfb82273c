import type { Stack } from '@strata/core';
import type { RunProgress } from './plan.js';
import { TemporalOrchestrator } from './temporal-orchestrator.js';

/**
 * A running run's live step counts, from its workflow's `progress` query; undefined when the stack's
 * orchestrator is not temporal or the workflow is unknown. (The metadata store rows say the same,
 * a moment later.)
 */
export async function runProgress(stack: Stack, runId: string): Promise<RunProgress | undefined> {
  if (!(stack.orchestrator instanceof TemporalOrchestrator)) return undefined;
  return stack.orchestrator.progress(runId);
}
