import type { Verdict } from '../liveness/judge-owner.js';
import type { RunOwner } from '../liveness/owner.js';
import type { CompiledPipeline } from '../pipeline/pipeline.js';
import type { Snapshot } from '../pipeline/snapshot.js';
import type { ProducedOutput } from '../runner/step-task.js';
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
  /**
   * Called by a run loop that executes the steps in this process (driveRun) with its runner, so the
   * submitter's progress view takes the steps' small outputs from memory instead of the store.
   */
  readonly attachRunner?: (runner: OutputsInMemory) => void;
}

/** What a runner in this process remembers of the step runs it completed or reused. */
export interface OutputsInMemory {
  producedBy(stepRunId: string): readonly ProducedOutput[] | undefined;
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
  /**
   * Why a detached run cannot make progress right now, said so its submitter is not left watching a
   * silent run (e.g. "no worker polls task queue …"), or undefined when nothing is known to be wrong.
   * Asked by `strata run` while it waits; must answer within a few seconds and never throw.
   */
  stalled?(runId: string, stackName: string): Promise<string | undefined>;
  /**
   * Is an owner this flavor recorded (a `workflow`, a `container`) still executing its run? Readers
   * reconcile a run whose owner is gone to `crashed`, so answer `unknown` when unsure, never `false`.
   */
  judgeOwner?(owner: RunOwner): Promise<Verdict>;
  /**
   * Stops and removes what runs whose driver is gone left behind (e.g. step containers of a killed
   * submitter): those of `runIds`, or every one whose recorded driver is gone when omitted. Returns one
   * line per thing reaped (`dryRun`: per thing that would be).
   */
  reap?(runIds?: readonly string[], options?: { dryRun?: boolean }): Promise<string[]>;
  /** Present when the flavor can fire pipelines on a calendar (`strata schedule`). */
  schedules?(stack: Stack): PipelineSchedules;
  close?(): Promise<void>;
}
