/**
 * Firing a pipeline on a calendar. An orchestrator that can (Temporal Schedules, a cron service, a
 * cloud scheduler) offers `schedules(stack)`; `strata schedule` works with any flavor that does,
 * including third-party plugins, and refuses a stack whose orchestrator does not.
 */
export interface PipelineSchedules {
  create(request: ScheduleRequest): Promise<ScheduleRow>;
  /** Strata's schedules only (not other tenants of the same scheduler), sorted by id. */
  list(): Promise<ScheduleRow[]>;
  pause(id: string, paused: boolean): Promise<void>;
  /** Starts the scheduled action now, whatever the calendar says. */
  trigger(id: string): Promise<void>;
  delete(id: string): Promise<void>;
  /**
   * Present when the scheduler can also evaluate the other triggers (new data, model health, run
   * completion, code change) durably for this stack, as Temporal does with a long-running workflow.
   * Idempotent: starts the evaluator unless it is already running. Triggers it fires are stored with
   * `firedBy` = the orchestrator's flavor and are left alone by `strata agent`.
   */
  watchTriggers?(): Promise<void>;
}

export interface ScheduleRequest {
  /** The module defining the pipeline (absolute, or relative to the current directory). */
  readonly module: string;
  /** Pipeline name; optional when the module exports exactly one pipeline. */
  readonly pipeline?: string;
  /** Cron expression(s), e.g. "0 3 * * *"; flavors may accept more (Temporal: "@every 10m"). */
  readonly cron: string | readonly string[];
  /** An interval instead of cron, e.g. `10m` (see parseInterval). */
  readonly every?: string;
  /** IANA zone the cron is read in. Default UTC. */
  readonly timezone?: string;
  readonly jitterMs?: number;
  /** Missed firings after downtime: skip, one, all (see docs/continuous-training.md). */
  readonly catchUp?: 'skip' | 'one' | 'all';
  /** A firing while the previous run still runs: skip, queue (one), allow. Default allow. */
  readonly overlap?: 'skip' | 'queue' | 'allow';
  readonly params?: Readonly<Record<string, unknown>>;
  /** Default chosen by the flavor (Temporal: `strata-<pipeline>-<stack>`). */
  readonly id?: string;
  /** The stored schedule (metadata store) this one fires: each firing is recorded under it, with its run. */
  readonly trigger?: string;
}

export interface ScheduleRow {
  readonly id: string;
  readonly pipeline: string;
  readonly cron: readonly string[];
  readonly paused: boolean;
  readonly nextRuns: readonly Date[];
}
