import { processOwner } from '../liveness/owner.js';
import type { StepRunPatch } from '../metadata/metadata-store.js';
import type { StrataDatabase } from '../metadata/strata-database.js';
import { recordRunEnd } from './run-loop.js';

/**
 * Records a step the blocked-loop watchdog stopped, just before the process ends. When this process
 * drives the run (its owner), the run is ended here too (`failed`, its other steps closed): nobody else
 * will. A run owned elsewhere (a Temporal workflow, the parent of a step process) is ended by its owner.
 */
export async function recordBlockedStep(
  db: StrataDatabase,
  runId: string,
  stepRunId: string,
  patch: StepRunPatch,
): Promise<void> {
  await db.updateStepRun(stepRunId, patch);
  const owner = (await db.owners([runId])).find((o) => o.stepRunId === null)?.owner;
  const self = processOwner();
  if (owner?.kind === 'process' && owner.pid === self.pid && owner.host === self.host)
    await recordRunEnd(db, runId, false);
}
