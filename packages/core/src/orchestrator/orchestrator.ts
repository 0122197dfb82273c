import type { RunOwner } from '../liveness/owner.js';
import type { CompiledPipeline } from '../pipeline/pipeline.js';
import type { Snapshot } from '../pipeline/snapshot.js';
import type { Stack } from '../stack/stack.js';
import type { PipelineSchedules } from './schedules.js';

export interface SubmittedRun {
  readonly runId: string;
  readonly snapshot: Snapshot;
  readonly stack: Stack;
  /** Present when the pipeline was compiled in this process; remote executors import the module instead. */
  readonly compiled?: CompiledPipeline;
  /** Ignore cached results for every step of this run (`--no-cache`). */
  readonly noCache: boolean;
  readonly failFast: boolean;
  /** The run being resumed: its identical completed steps are reused. */
  readonly resumedFrom?: string | null;
}

export interface ExecuteResult {
  readonly detached: boolean;
  /**
   * Who executes a detached run from now on (e.g. its Temporal workflow), recorded so readers can
   * check it; without one a detached run's owner is `unknown` and never judged dead.
   */
  readonly owner?: RunOwner;
}

/**
 * Decides where and when each step runs, never how: every flavor hands a step to the one StepRunner
 * (in this process, a child process, a container or a Temporal worker). The run and its step rows
 * already exist in the metadata store when `execute` is called.
 */
export interface Orchestrator {
  readonly flavor: string;
  /**
   * Drives the run. Resolves when the run finished (local) or once it is safely handed over
   * (remote: `detached: true`), after which progress is visible only through the metadata store.
   */
  execute(run: SubmittedRun): Promise<ExecuteResult>;
  /** Stops a running run's steps. */
  cancel?(runId: string): Promise<void>;
  /** Present when the flavor can fire pipelines on a calendar (`strata schedule`). */
  schedules?(stack: Stack): PipelineSchedules;
  close?(): Promise<void>;
}
