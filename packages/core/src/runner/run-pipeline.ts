import { StrataError } from '../errors/strata-error.js';
import { reconcileRun, runOwnerVerdict } from '../liveness/reconcile.js';
import type { PipelineDefinition } from '../pipeline/pipeline.js';
import type { StepOverrides } from '../pipeline/snapshot.js';
import type { Stack } from '../stack/stack.js';
import { resolveStack } from '../stack/stack-resolver.js';
import { ranWithoutCache } from './environment.js';
import type { RunHandle } from './run-handle.js';
import { submitRun } from './submit.js';

export interface RunOptions {
  readonly params?: Record<string, unknown>;
  /** A live stack, a stack name, or nothing for the project's active stack. */
  readonly stack?: Stack | string;
  readonly noCache?: boolean;
  readonly failFast?: boolean;
  readonly runName?: string;
  /** Per-node params/settings/cache (a run config's `steps:`), recorded in the snapshot. */
  readonly overrides?: StepOverrides;
  /** The run's id (see SubmitOptions.runId). */
  readonly runId?: string;
}

/** Compiles and submits a pipeline; `await (await run(p)).wait()` for the outcome. */
export async function runPipeline(
  pipeline: PipelineDefinition,
  options: RunOptions = {},
): Promise<RunHandle> {
  const stack = await resolveStack(options.stack);
  const compiled = pipeline.compile(options.params ?? {}, {
    projectRoot: stack.projectRoot,
    ...(options.overrides ? { overrides: options.overrides } : {}),
  });
  return submitRun(compiled, { ...options, stack });
}

/**
 * Starts a new run of a failed or interrupted run's pipeline with the same parameters, reusing every
 * step whose code, parameters and inputs are unchanged (so a fixed step and its descendants re-run,
 * nothing else). A run whose owner is still alive is refused (resuming it would run its steps twice);
 * the old run is closed with a pointer to the new one and none of its step rows stays pending or running.
 */
export async function resumeRun(
  runId: string,
  pipeline: PipelineDefinition,
  options: { stack?: Stack | string; failFast?: boolean } = {},
): Promise<RunHandle> {
  const stack = await resolveStack(options.stack);
  const db = stack.database;
  const run = await db.getRun(runId);
  if (!run) {
    throw new StrataError(`run ${runId} does not exist`, {
      code: 'unknown_run',
      field: 'run',
      value: runId,
      fix: 'list runs with `strata runs list`',
    });
  }
  const verdict = ['running', 'pending'].includes(run.status) ? await runOwnerVerdict(db, runId) : undefined;
  if (verdict?.alive === true) {
    throw new StrataError(
      `run ${runId} is still running (owned by ${verdict.owner}); resuming it would run its steps twice`,
      {
        code: 'run_alive',
        field: 'run',
        value: runId,
        fix: `wait for it to end, or cancel it first: \`strata runs cancel ${runId}\`, then resume`,
      },
    );
  }
  if (verdict?.alive === false) await reconcileRun(db, run);
  if (run.status === 'completed') {
    throw new StrataError(`run ${runId} already completed; nothing to resume`, {
      code: 'run_finished',
      field: 'run',
      value: runId,
      fix: 'start a new run instead',
    });
  }
  if (run.pipelineName !== pipeline.name) {
    throw new StrataError(`run ${runId} belongs to pipeline "${run.pipelineName}", not "${pipeline.name}"`, {
      code: 'pipeline_mismatch',
      field: 'pipeline',
      value: pipeline.name,
      fix: `resume it with the module that defines "${run.pipelineName}"`,
    });
  }
  // A resumed run keeps the run config's step overrides of the run it resumes.
  const previous = (await db.getSnapshot(run.snapshotId))?.body;
  const compiled = pipeline.compile(run.params as Record<string, unknown>, {
    projectRoot: stack.projectRoot,
    ...(previous?.overrides ? { overrides: previous.overrides } : {}),
  });
  // A --no-cache run resumes without the cache too: it reuses only the steps it finished itself.
  const handle = await submitRun(compiled, {
    stack,
    resumedFrom: runId,
    noCache: ranWithoutCache(run),
    failFast: options.failFast ?? true,
  });
  // The old run is closed with a pointer to the new one, and none of its step rows stays active.
  const now = Date.now();
  const current = (await db.getRun(runId)) ?? run;
  if (current.status === 'running' || current.status === 'pending') {
    await db.updateRun(runId, {
      status: 'failed',
      endedAt: now,
      error: `interrupted; resumed as run ${handle.id}`,
    });
  } else if (!current.error?.includes(handle.id)) {
    await db.updateRun(runId, {
      error: `${current.error ? `${current.error}; ` : ''}resumed as run ${handle.id}`,
    });
  }
  await db.closeActiveSteps(runId, 'cancelled', `resumed as run ${handle.id}`, now);
  return handle;
}
