import { isAbsolute, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { StrataError } from '../errors/strata-error.js';
import { type CompiledPipeline, isPipeline } from '../pipeline/pipeline.js';
import type { Snapshot } from '../pipeline/snapshot.js';
import type { Stack } from '../stack/stack.js';
import { type StepOutcome, StepRunner } from './step-runner.js';

/**
 * Imports a snapshot's defining module and recompiles the pipeline with the snapshot's parameters.
 * The recompiled snapshot must hash to the same id: otherwise this process would run different code
 * than the one that was submitted, and the lineage would lie.
 */
export async function loadCompiledPipeline(stack: Stack, snapshot: Snapshot): Promise<CompiledPipeline> {
  const path = isAbsolute(snapshot.module) ? snapshot.module : join(stack.projectRoot, snapshot.module);
  const module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  const definition = Object.values(module).find((v) => isPipeline(v) && v.name === snapshot.pipeline);
  if (!isPipeline(definition)) {
    throw new StrataError(`module ${path} exports no pipeline named "${snapshot.pipeline}"`, {
      code: 'pipeline_not_found',
      field: 'module',
      value: path,
      fix: 'export the pipeline from the module that defines it',
    });
  }
  const compiled = definition.compile(snapshot.params, {
    projectRoot: stack.projectRoot,
    ...(snapshot.overrides ? { overrides: snapshot.overrides } : {}),
  });
  if (compiled.snapshot.id !== snapshot.id) {
    throw new StrataError(
      `the code of pipeline "${snapshot.pipeline}" differs from the submitted snapshot ${snapshot.id.slice(0, 12)} (here: ${compiled.snapshot.id.slice(0, 12)})`,
      {
        code: 'snapshot_mismatch',
        field: 'snapshot',
        value: compiled.snapshot.id,
        fix: 'deploy the same code to every worker/image, or submit a new run',
      },
    );
  }
  return compiled;
}

export interface StepEntryArgs {
  readonly runId: string;
  readonly nodeId: string;
  readonly mapIndex: number;
  readonly noCache?: boolean;
  readonly resumedFrom?: string | null;
}

/** What `strata step run` does in a child process, a container or a worker: load, then run one step. */
export async function runStepEntry(
  stack: Stack,
  args: StepEntryArgs,
  signal?: AbortSignal,
): Promise<StepOutcome> {
  const db = stack.database;
  const run = await db.getRun(args.runId);
  if (!run)
    throw new StrataError(`run ${args.runId} not found in ${db.url}`, {
      code: 'unknown_run',
      field: 'run',
      value: args.runId,
      fix: 'point the step process at the metadata store that recorded the run',
    });
  const record = await db.getSnapshot(run.snapshotId);
  if (!record)
    throw new StrataError(`snapshot ${run.snapshotId} not found`, {
      code: 'unknown_snapshot',
      field: 'snapshot',
      value: run.snapshotId,
    });
  const snapshot = record.body;
  const compiled = await loadCompiledPipeline(stack, snapshot);
  const runner = new StepRunner({
    database: db,
    artifactStore: stack.artifactStore,
    materializers: stack.materializers,
    ...(stack.sources ? { sources: stack.sources } : {}),
    components: stack.extras,
  });
  return runner.run({
    runId: args.runId,
    snapshot,
    compiled,
    nodeId: args.nodeId,
    mapIndex: args.mapIndex,
    noCache: args.noCache ?? false,
    resumedFrom: args.resumedFrom ?? null,
    ...(signal ? { signal } : {}),
  });
}

/** Requests cancellation; orchestrators notice it and stop the run's steps. */
export async function cancelRun(stack: Stack, runId: string): Promise<void> {
  await stack.database.updateRun(runId, { status: 'cancelled' });
  await stack.orchestrator.cancel?.(runId);
}
