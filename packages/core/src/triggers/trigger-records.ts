import type { JsonValue, RunStatus } from '../metadata/records.js';
import type { OverlapPolicy, TriggerCondition, TriggerKind, TriggerTarget } from './trigger-spec.js';

/** A stored schedule or trigger (`strata schedule` manages kind `schedule`, `strata trigger` the rest). */
export interface TriggerRecord {
  readonly name: string;
  readonly kind: TriggerKind;
  readonly target: TriggerTarget;
  readonly condition: TriggerCondition;
  readonly overlap: OverlapPolicy;
  readonly paused: boolean;
  /**
   * Who fires it: `agent` (any `strata agent` on this store) or an orchestrator's native mechanism
   * (`temporal`), which the agents then leave alone.
   */
  readonly firedBy: string;
  /** What the last evaluation saw (last calendar slot, source fingerprint, last upstream run, commit). */
  readonly cursor: JsonValue;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export type FiringStatus = 'claimed' | 'queued' | 'started' | 'skipped' | 'failed';

/** One firing: when, why, the evidence, and the run it started (the run links back in its metadata). */
export interface FiringRecord {
  readonly id: string;
  readonly trigger: string;
  /**
   * What makes this firing unique for its trigger: the calendar slot, the data version's fingerprint,
   * the upstream run id, the commit. The store refuses a second firing with the same key, whoever
   * evaluates: that is what makes a firing happen exactly once across agents and restarts.
   */
  readonly dedupeKey: string;
  readonly status: FiringStatus;
  readonly reason: string;
  readonly evidence: JsonValue;
  /** The run id chosen at claim time, so a restarted agent starts the same run, never a second one. */
  readonly runId: string | null;
  readonly firedBy: string;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly error: string | null;
}

/** A running `strata agent`, as it reports itself (heartbeat every tick). */
export interface AgentRecord {
  readonly id: string;
  readonly host: string;
  readonly pid: number;
  readonly version: string;
  readonly startedAt: number;
  readonly heartbeatAt: number;
  readonly stoppedAt: number | null;
  /** Counters and the last tick's duration, for `strata agent status`. */
  readonly stats: JsonValue;
}

/** One window of what a model server saw for a model version (bounded: one row per window and kind). */
export interface ServingWindowRecord {
  readonly model: string;
  readonly version: number;
  /** Start of the window, epoch ms, a multiple of the window length. */
  readonly windowStart: number;
  /** `inputs` (feature sketches) or `feedback` (labelled outcomes). */
  readonly kind: 'inputs' | 'feedback';
  readonly count: number;
  readonly stats: JsonValue;
  readonly updatedAt: number;
}

export interface FiringClaim {
  readonly firing: FiringRecord;
  /** The trigger's cursor after this firing, written in the same transaction. */
  readonly cursor: JsonValue;
}

export interface FiringQuery {
  readonly trigger?: string;
  readonly status?: FiringStatus;
  readonly limit?: number;
}

/** Status of the run a firing started, joined for `history` (null when it never started). */
export interface FiringWithRun extends FiringRecord {
  readonly runStatus: RunStatus | null;
}
