import type { JsonValue, RunStatus, StepStatus } from '../metadata/records.js';
import { componentToken } from '../stack/component-token.js';

/** A pipeline run as the tracker first sees it (its parameters are known, no step has run). */
export interface TrackedRunStart {
  readonly runId: string;
  readonly runName: string;
  readonly pipeline: string;
  readonly stack: string;
  readonly params: JsonValue;
  readonly startedAt: number;
  /** The run this one resumes, if any. */
  readonly resumedFrom: string | null;
}

/** One step run (a mapped step's instances are separate, `mapIndex` >= 0) with what it logged. */
export interface TrackedStep {
  readonly nodeId: string;
  /** -1 for a step that is not mapped. */
  readonly mapIndex: number;
  readonly status: StepStatus;
  readonly startedAt: number | null;
  readonly endedAt: number | null;
  readonly cacheReason: string | null;
  /** What the step logged with `ctx.log(...)` (metrics and any other JSON metadata). */
  readonly metadata: Readonly<Record<string, JsonValue>>;
}

/** The finished run: its outcome and every step run. */
export interface TrackedRunEnd {
  readonly status: RunStatus;
  readonly endedAt: number;
  readonly error: string | null;
  readonly steps: readonly TrackedStep[];
}

/** The tracker's handle on a run, stored in the Strata run's metadata under `tracker`. */
export interface TrackerRun {
  /** The tracker's own run id (an MLflow run id, ...). */
  readonly id: string;
  /** Where a human sees the run in the tracker's UI, shown by `strata runs show`. */
  readonly url: string | null;
  /** Anything else the flavor needs to finish the run later, in another process. */
  readonly data?: JsonValue;
}

/**
 * The experiment tracker component: every pipeline run becomes a run in the tracker (MLflow, W&B,
 * ...) with its parameters, the metrics and metadata its steps log, and tags linking back to the
 * Strata run. Strata calls `startRun` when a run is submitted and `finishRun` once it has finished,
 * with what the metadata store recorded, so the same flavor works under every orchestrator (steps in
 * containers or Temporal workers log through the metadata store, not to the tracker directly).
 */
export interface ExperimentTracker {
  readonly flavor: string;
  /**
   * When true a tracker failure fails the pipeline run; by default (false) it is reported as a
   * warning and the pipeline goes on.
   */
  readonly required: boolean;
  startRun(run: TrackedRunStart): Promise<TrackerRun>;
  finishRun(run: TrackerRun, end: TrackedRunEnd): Promise<void>;
  close?(): Promise<void>;
}

/** The experiment_tracker component's token: `context.component(ExperimentTracker)` is typed. */
export const ExperimentTracker = componentToken<ExperimentTracker>('experiment_tracker');
