import { alertRunEnd } from '../alerter/run-alerts.js';
import { finishTracking, startTracking } from '../experiment-tracker/tracking.js';
import { Heartbeat } from '../liveness/heartbeat.js';
import { processOwner, type RunOwner } from '../liveness/owner.js';
import type { LivenessStore } from '../metadata/liveness-store.js';
import type { JsonValue, RunRecord } from '../metadata/records.js';
import type { OutputsInMemory } from '../orchestrator/orchestrator.js';
import type { CompiledPipeline } from '../pipeline/pipeline.js';
import type { Stack } from '../stack/stack.js';
import { collectEnvironment } from './environment.js';
import { newRunId } from './ids.js';
import { inlineMaxBytes } from './inline-artifact.js';
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
  /** Who executes the run, recorded before the run row so no reader sees it without one. */
  readonly owner?: RunOwner;
}

/**
 * Records the snapshot and the run with all of its step rows (one transaction), without executing
 * anything: what a scheduled trigger does before it hands the run to its orchestrator.
 */
export async function recordRun(compiled: CompiledPipeline, options: SubmitOptions): Promise<RunRecord> {
  const { stack } = options;
  const { snapshot } = compiled;
  const db = stack.database;
  // A bad STRATA_INLINE_ARTIFACT_BYTES is refused before anything is recorded (the step runner reads
  // it only once the run has started, and bad input must change nothing).
  inlineMaxBytes();
  const now = Date.now();
  const id = options.runId ?? newRunId(now);
  await db.saveSnapshot({
    id: snapshot.id,
    pipelineName: snapshot.pipeline,
    body: snapshot,
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
    environment: await collectEnvironment(stack, { noCache: options.noCache === true }),
    createdAt: now,
    startedAt: now,
    endedAt: null,
    error: null,
    resumedFrom: options.resumedFrom ?? null,
  };
  if (options.owner)
    await db.setOwner({ runId: id, stepRunId: null, owner: options.owner, heartbeatAt: now });
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
  // This process owns the run until the orchestrator hands it over (a detached run names its new owner).
  const run = await recordRun(compiled, { ...options, owner: processOwner() });
  heartbeat(stack.database).add(run.id);
  await startTracking(stack, run);
  // Set when the orchestrator runs the steps in this process (driveRun): the handle's outputsInMemory.
  let inMemory: OutputsInMemory | undefined;
  const execution = stack.orchestrator.execute({
    runId: run.id,
    snapshot: compiled.snapshot,
    stack,
    compiled,
    noCache: options.noCache ?? false,
    failFast: options.failFast ?? true,
    resumedFrom: options.resumedFrom ?? null,
    attachRunner: (runner) => {
      inMemory = runner;
    },
  });
  // A run that finished in this process is sent to the experiment tracker here; a detached one when
  // someone waits for it (RunHandle.wait). A detached run's owner is now the orchestrator's.
  const tracked = execution.then(
    async (outcome) => {
      heartbeat(stack.database).delete(run.id);
      if (outcome.detached) {
        await stack.database.setOwner({
          runId: run.id,
          stepRunId: null,
          owner: outcome.owner ?? { kind: 'unknown' },
          heartbeatAt: Date.now(),
        });
      } else {
        await finishTracking(stack, run.id);
        await alertRunEnd(stack, run.id);
      }
      return outcome;
    },
    async (error: unknown) => {
      heartbeat(stack.database).delete(run.id);
      await finishTracking(stack, run.id).catch(() => undefined);
      await alertRunEnd(stack, run.id);
      throw error;
    },
  );
  return new RunHandle(stack, run, tracked, compiled.snapshot, (id) => inMemory?.producedBy(id));
}

/** One heartbeat timer per database for every run this process drives. */
const heartbeats = new WeakMap<LivenessStore, Heartbeat>();
function heartbeat(db: LivenessStore): Heartbeat {
  const existing = heartbeats.get(db);
  if (existing) return existing;
  const beat = new Heartbeat(db);
  heartbeats.set(db, beat);
  return beat;
}
