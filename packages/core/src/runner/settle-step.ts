import { finishedStepStatuses, type StepStatus } from '../metadata/records.js';
import type { StrataDatabase } from '../metadata/strata-database.js';
import type { StepOutcome } from './step-task.js';

/** How a step's process or container ended, as its orchestrator saw it from outside. */
export interface StepExit {
  /** Stopped for running past its timeout (the local watchdog, a container deadline). */
  readonly timedOut?: boolean;
  /** Killed by the engine for running out of memory. */
  readonly oomKilled?: boolean;
  /** Stopped because its run was cancelled. */
  readonly cancelled?: boolean;
  /** What to record in each case; `died` for an exit before any result (crash, kill -9, exit code). */
  readonly messages: {
    readonly timedOut: string;
    readonly oomKilled?: string;
    readonly cancelled: string;
    readonly died: string;
  };
}

/**
 * Settles a step from its row after its process or container ended: the step's own result when it
 * recorded one, else what the orchestrator saw. One rule for every orchestrator that runs steps out of
 * process (local process isolation, Docker): a recorded success or timeout stands; a recorded failure
 * stands unless the step was killed for its timeout or memory (then the kill is the truth); a step that
 * recorded nothing is `timed_out`, `failed` (out of memory or died) or `cancelled`.
 */
export async function settleStepFromRow(
  db: StrataDatabase,
  id: string,
  exit: StepExit,
): Promise<StepOutcome> {
  const row = await db.getStepRun(id);
  const succeeded = row?.status === 'completed' || row?.status === 'cached' || row?.status === 'skipped';
  const killed = exit.timedOut === true || exit.oomKilled === true;
  // A step that stopped itself for its timeout (it yields) recorded `timed_out` with its logs: that stands.
  if (
    row &&
    finishedStepStatuses.includes(row.status) &&
    (succeeded || row.status === 'timed_out' || !killed)
  ) {
    return { status: row.status, ...(row.error ? { error: row.error } : {}) };
  }
  const { messages } = exit;
  let status: StepStatus;
  let error: string;
  if (exit.oomKilled) {
    status = 'failed';
    error = messages.oomKilled ?? messages.died;
  } else if (exit.timedOut) {
    status = 'timed_out';
    error = messages.timedOut;
  } else if (exit.cancelled) {
    status = 'cancelled';
    error = messages.cancelled;
  } else {
    status = 'failed';
    error = messages.died;
  }
  if (row) await db.updateStepRun(id, { status, endedAt: Date.now(), error });
  return { status, error };
}
