import type { RunOwner } from '../liveness/owner.js';

/** Who is executing a run (stepRunId null) or one step of it, and when it last said so. */
export interface OwnerRecord {
  readonly runId: string;
  /** null: the owner of the run as a whole (the process driving it, or its workflow). */
  readonly stepRunId: string | null;
  readonly owner: RunOwner;
  /** Last heartbeat (epoch ms); the time the owner was recorded until the first beat. */
  readonly heartbeatAt: number;
}

/**
 * Liveness rows: an owner per running run (and per step where a step runs elsewhere, e.g. a
 * container), refreshed by a time-based heartbeat, never by a write per step.
 */
export interface LivenessStore {
  /** Records (or replaces) the owner of a run or step. */
  setOwner(record: OwnerRecord): Promise<void>;
  /** Refreshes the heartbeat of every owner row of these runs in one statement. */
  heartbeat(runIds: readonly string[], at: number): Promise<void>;
  /** Owner rows of these runs (run rows and step rows). */
  owners(runIds: readonly string[]): Promise<OwnerRecord[]>;
  /**
   * Marks a run whose owner is gone `crashed` (only if it is still pending or running: a run that
   * finished meanwhile is left alone), its running steps `crashed` and its pending ones `cancelled`,
   * in one transaction. Returns false when the run was no longer active.
   */
  markCrashed(runId: string, reason: string, at: number): Promise<boolean>;
  /** Closes the still-active step rows of a run that is over (cancelled, crashed, resumed). */
  closeActiveSteps(
    runId: string,
    status: 'cancelled' | 'crashed',
    reason: string,
    at: number,
  ): Promise<number>;
}
