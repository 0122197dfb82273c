import type { RetryPolicy, StepStatus } from '@strata/core';

/** What the workflow needs to know of one snapshot node: ids and numbers only, never values. */
export interface PlanNode {
  readonly id: string;
  /** Nodes that must succeed first (data inputs, `after`, condition source). */
  readonly deps: readonly string[];
  readonly mapped: boolean;
  readonly mapConcurrency?: number;
  readonly retry?: RetryPolicy;
  readonly timeoutMs?: number;
  /** `settings.temporal.taskQueue` of the step, if any. */
  readonly taskQueue?: string;
}

export interface RunPlan {
  readonly nodes: readonly PlanNode[];
  /** Status of each node's row; rows left `running` by an earlier execution are `pending` again. */
  readonly status: Readonly<Record<string, StepStatus>>;
}

/** Workflow settings taken from the orchestrator config when the run is started. */
export interface RunSettings {
  readonly taskQueue: string;
  readonly stepTimeoutMs: number;
  readonly heartbeatTimeoutMs: number;
  readonly activityAttempts: number;
  readonly batchSize: number;
  readonly maxConcurrentBatches: number;
  readonly continueAsNewAfterEvents: number;
}

export interface RunInput {
  readonly runId: string;
  readonly noCache: boolean;
  readonly failFast: boolean;
  readonly resumedFrom: string | null;
  readonly settings: RunSettings;
  /** How many times this run continued as new (for the progress query). */
  readonly generation?: number;
}

export interface ScheduledRunInput {
  /** The defining module, relative to the project root of the worker (or absolute). */
  readonly module: string;
  readonly pipeline: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly stack: string;
  readonly settings: RunSettings;
  /** The stored schedule a Temporal Schedule fires: each firing is recorded under it (history, lineage). */
  readonly schedule?: string;
  /** A trigger's firing (the trigger workflow): the run id chosen at claim time and the firing it links to. */
  readonly runId?: string;
  readonly firing?: FiringLink;
}

/** What a run records of the firing that started it (run metadata `strata.trigger`, as `strata run` does). */
export interface FiringLink {
  readonly trigger: string;
  readonly kind: string;
  readonly firing: string;
  readonly reason: string;
  /** The parameter the firing sets (its value cut to what the pipeline declares). */
  readonly param?: string;
}

/** The trigger workflow of one stack: evaluates its stored triggers (not schedules) until cancelled. */
export interface TriggerLoopInput {
  readonly stack: string;
  readonly settings: RunSettings;
  /** Longest sleep between evaluations when nothing is due sooner (a poll interval wakes it earlier). */
  readonly maxSleepMs?: number;
}

/** The `progress` workflow query: counts of the run's steps, and of each mapped step's instances. */
export interface RunProgress {
  readonly runId: string;
  readonly steps: Readonly<Record<StepStatus, number>>;
  readonly instances: Readonly<
    Record<string, { readonly total: number; readonly done: number; readonly failed: number }>
  >;
  readonly generation: number;
}
