import { finishTracking, startTracking } from '../experiment-tracker/tracking.js';
import type { JsonValue, RunRecord } from '../metadata/records.js';
import type { CompiledPipeline } from '../pipeline/pipeline.js';
import type { Stack } from '../stack/stack.js';
import { collectEnvironment } from './environment.js';
import { newRunId } from './ids.js';
import { RunHandle } from './run-handle.js';
import { renderRunName } from './run-name.js';
import { pendingStepRun } from './step-runner.js';

export interface SubmitOptions {
  readonly stack: Stack;
  readonly noCache?: boolean;
  /** Stop scheduling new steps after the first failure (default), or keep running independent branches. */
  readonly failFast?: boolean;
  readonly runName?: string;
  readonly resumedFrom?: string;
  /**
   * The run's id, chosen by the caller (a trigger firing picks it when it is claimed, so a restarted
   * agent starts that run, never a second one). Default: a new id.
   */
  readonly runId?: string;
}

/**
 * Records the snapshot and the run with all of its step rows (one transaction), without executing
 * anything: what a scheduled trigger does before it hands the run to its orchestrator.
 */
export async function recordRun(compiled: CompiledPipeline, options: SubmitOptions): Promise<RunRecord> {
  const { stack } = options;
  const { snapshot } = compiled;
  const db = stack.database;
  const now = Date.now();
  const id = options.runId ?? newRunId(now);
  await db.saveSnapshot({
    id: snapshot.id,
    pipelineName: snapshot.pipeline,
    body: snapshot as unknown as JsonValue,
    createdAt: now,
  });
  const run: RunRecord = {
    id,
    name: renderRunName(options.runName ?? snapshot.runName, {
      pipeline: snapshot.pipeline,
      id,
      params: snapshot.params,
      now,
    }),
    pipelineName: snapshot.pipeline,
    snapshotId: snapshot.id,
    status: 'running',
    stackName: stack.name,
    orchestrator: stack.orchestrator.flavor,
    params: snapshot.params as JsonValue,
    environment: await collectEnvironment(stack),
    createdAt: now,
    startedAt: now,
    endedAt: null,
    error: null,
    resumedFrom: options.resumedFrom ?? null,
  };
  await db.createRun(
    run,
    snapshot.nodes.map((node) => pendingStepRun(id, node)),
  );
  return run;
}

/**
 * Records the run (see `recordRun`), opens its run in the stack's experiment tracker if it has one,
 * then hands it to the stack's orchestrator. Nothing is executed if recording fails.
 */
export async function submitRun(compiled: CompiledPipeline, options: SubmitOptions): Promise<RunHandle> {
  const { stack } = options;
  const run = await recordRun(compiled, options);
  await startTracking(stack, run);
  const execution = stack.orchestrator.execute({
    runId: run.id,
    snapshot: compiled.snapshot,
    stack,
    compiled,
    noCache: options.noCache ?? false,
    failFast: options.failFast ?? true,
    resumedFrom: options.resumedFrom ?? null,
  });
  // A run that finished in this process is sent to the experiment tracker here; a detached one when
  // someone waits for it (RunHandle.wait).
  const tracked = execution.then(
    async (outcome) => {
      if (!outcome.detached) await finishTracking(stack, run.id);
      return outcome;
    },
    async (error: unknown) => {
      await finishTracking(stack, run.id).catch(() => undefined);
      throw error;
    },
  );
  return new RunHandle(stack, run, tracked);
}
