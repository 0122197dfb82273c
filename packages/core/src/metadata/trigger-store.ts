import type {
  AgentRecord,
  FiringClaim,
  FiringQuery,
  FiringRecord,
  FiringStatus,
  FiringWithRun,
  ServingWindowRecord,
  TriggerRecord,
} from '../triggers/trigger-records.js';
import type { JsonValue } from './records.js';

export interface TriggerQuery {
  readonly kind?: 'schedule' | 'trigger';
  /** Only rows due by this time (triggerDueAt null or reached): what a fresh agent must parse. */
  readonly dueBy?: number;
}

/** What an agent reads of every trigger on every tick (no JSON to parse). */
export interface TriggerStamp {
  readonly name: string;
  readonly updatedAt: number;
  /** triggerDueAt of the stored row: null = evaluate every tick. */
  readonly dueAt: number | null;
}

/**
 * Schedules, triggers, their firings, the agents' leases and the model servers' windows. On PostgreSQL
 * a team shares them: every method is safe with several agents and servers at once.
 */
export interface TriggerStore {
  createTrigger(trigger: TriggerRecord): Promise<void>;
  getTrigger(name: string): Promise<TriggerRecord | undefined>;
  listTriggers(query?: TriggerQuery): Promise<TriggerRecord[]>;
  /**
   * Name, last change and next due time (triggerDueAt) of every trigger: cheap, so an agent reads only
   * the rows that changed and are due.
   */
  listTriggerStamps(): Promise<TriggerStamp[]>;
  setTriggerPaused(name: string, paused: boolean): Promise<void>;
  /** Moves the cursor without firing (e.g. the first look at a source records what is already there). */
  setTriggerCursor(name: string, cursor: JsonValue): Promise<void>;
  /** Deletes the trigger; its firings stay (history outlives the trigger). */
  deleteTrigger(name: string): Promise<void>;

  /**
   * Records a firing and the trigger's new cursor in one transaction. Returns false (and changes
   * nothing) when a firing with the same trigger and dedupe key exists: another agent, or this one
   * before a restart, fired it already.
   */
  claimFiring(claim: FiringClaim): Promise<boolean>;
  updateFiring(
    id: string,
    patch: { status: FiringStatus; runId?: string | null; error?: string | null },
  ): Promise<void>;
  getFiring(id: string): Promise<FiringRecord | undefined>;
  listFirings(query?: FiringQuery): Promise<FiringWithRun[]>;

  /**
   * Takes or renews the lease `name` for `holder` until now + ttlMs. True when `holder` has it now:
   * it was free, expired, or already held by `holder`.
   */
  acquireLease(name: string, holder: string, ttlMs: number): Promise<boolean>;
  releaseLease(name: string, holder: string): Promise<void>;
  leaseHolder(name: string): Promise<{ holder: string; expiresAt: number } | undefined>;

  saveAgent(agent: AgentRecord): Promise<void>;
  listAgents(): Promise<AgentRecord[]>;

  /** Merges into the window row with `merge` under a row lock (servers in several processes add up). */
  mergeServingWindow(
    key: Pick<ServingWindowRecord, 'model' | 'version' | 'windowStart' | 'kind'>,
    merge: (previous: ServingWindowRecord | undefined) => Pick<ServingWindowRecord, 'count' | 'stats'>,
  ): Promise<void>;
  /** Windows of a model version starting at or after `since`, oldest first. */
  servingWindows(query: {
    model: string;
    version?: number;
    kind?: ServingWindowRecord['kind'];
    since?: number;
  }): Promise<ServingWindowRecord[]>;
  /** Drops windows that started before `before` (keeps the table bounded). */
  pruneServingWindows(before: number): Promise<number>;
}
