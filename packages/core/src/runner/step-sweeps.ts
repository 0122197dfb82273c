import type { StrataDatabase } from '../metadata/strata-database.js';
import { stepRunId } from './ids.js';

/** A step the scheduling rule will not run, and why (e.g. `upstream step "x" did not succeed`). */
export interface SkippedStep {
  readonly node: string;
  readonly reason: string;
}

/**
 * Records the steps the scheduling rule skipped: one rule for every orchestrator (the run loop in
 * process, the Temporal workflow through its bookkeeping activity). Steps of a cancelled run that
 * never finished are not swept here: `recordRunEnd` closes every pending or running step as the run ends.
 */
export async function recordSkippedSteps(
  db: StrataDatabase,
  runId: string,
  steps: readonly SkippedStep[],
): Promise<void> {
  const endedAt = Date.now();
  for (const { node, reason } of steps) {
    await db.updateStepRun(stepRunId(runId, node), { status: 'skipped', endedAt, cacheReason: reason });
  }
}
