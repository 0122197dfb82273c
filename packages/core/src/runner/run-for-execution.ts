import { isAbsolute, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { StrataError } from '../errors/strata-error.js';
import type { RunRecord } from '../metadata/records.js';
import { type CompiledPipeline, isPipeline, type PipelineDefinition } from '../pipeline/pipeline.js';
import type { Snapshot } from '../pipeline/snapshot.js';
import type { Stack } from '../stack/stack.js';

/** A recorded run as a process that executes its steps needs it. */
export interface RunForExecution {
  readonly run: RunRecord;
  readonly snapshot: Snapshot;
  readonly compiled: CompiledPipeline;
}

/**
 * The run row and its snapshot, refusing a run of another stack: a process opened for stack A would
 * otherwise execute a run submitted on stack B with A's artifact store and components (two stacks can
 * share one orchestrator, e.g. a Temporal task queue). `executor` names the process in the error.
 */
export async function loadRunSnapshot(
  stack: Stack,
  runId: string,
  executor = 'this process',
): Promise<{ run: RunRecord; snapshot: Snapshot }> {
  const run = await readRun(
    stack,
    runId,
    'point the step process or worker at the metadata store (and stack) that recorded the run',
  );
  if (run.stackName !== stack.name) {
    throw new StrataError(
      `run ${runId} was submitted on stack "${run.stackName}", but ${executor} serves stack "${stack.name}": it would write the run's artifacts to the wrong store, so it refuses the run`,
      {
        code: 'stack_mismatch',
        field: 'stack',
        value: run.stackName,
        fix: `start a worker for the run's stack (strata worker --stack ${run.stackName}), or give each stack its own task queue`,
      },
    );
  }
  return { run, snapshot: await readSnapshot(stack, run) };
}

/**
 * A recorded run and its snapshot whatever stack it ran on (resume may move a run to another stack):
 * the snapshot names the module and pipeline to import again.
 */
export async function readRunSnapshot(
  stack: Stack,
  runId: string,
): Promise<{ run: RunRecord; snapshot: Snapshot }> {
  const run = await readRun(stack, runId, 'list runs with `strata runs list`');
  return { run, snapshot: await readSnapshot(stack, run) };
}

async function readRun(stack: Stack, runId: string, fix: string): Promise<RunRecord> {
  const run = await stack.database.getRun(runId);
  if (!run) {
    throw new StrataError(`run ${runId} not found in ${stack.database.url}`, {
      code: 'unknown_run',
      field: 'run',
      value: runId,
      fix,
    });
  }
  return run;
}

async function readSnapshot(stack: Stack, run: RunRecord): Promise<Snapshot> {
  const record = await stack.database.getSnapshot(run.snapshotId);
  if (!record) {
    throw new StrataError(`snapshot ${run.snapshotId} of run ${run.id} not found`, {
      code: 'unknown_snapshot',
      field: 'snapshot',
      value: run.snapshotId,
      fix: 'start a new run instead',
    });
  }
  return record.body;
}

/**
 * The URL a pipeline module is imported from (default: its file URL). A long-lived process that must
 * run the code on disk now, not the code it imported first (a Temporal worker), versions the URL by
 * content (integrations/temporal's code-version.ts).
 */
export type ModuleUrl = (path: string) => string;

/** Loads a run for execution: its row and snapshot (loadRunSnapshot), then its recompiled pipeline. */
export async function loadRunForExecution(
  stack: Stack,
  runId: string,
  executor?: string,
  moduleUrl?: ModuleUrl,
): Promise<RunForExecution> {
  const { run, snapshot } = await loadRunSnapshot(stack, runId, executor);
  return { run, snapshot, compiled: await loadCompiledPipeline(stack, snapshot, moduleUrl) };
}

/** Imports a pipeline module (relative to the project root, the rule snapshots use) and finds `name` in it. */
export async function importPipeline(
  projectRoot: string,
  module: string,
  name: string,
  moduleUrl: ModuleUrl = (path) => pathToFileURL(path).href,
): Promise<PipelineDefinition> {
  const path = isAbsolute(module) ? module : join(projectRoot, module);
  const exports = (await import(moduleUrl(path))) as Record<string, unknown>;
  const definition = Object.values(exports).find((v) => isPipeline(v) && v.name === name);
  if (!isPipeline(definition)) {
    const shown = relative(projectRoot, path);
    throw new StrataError(
      `module ${shown && !shown.startsWith('..') ? shown : path} exports no pipeline named "${name}"`,
      {
        code: 'pipeline_not_found',
        field: 'pipeline',
        value: name,
        fix: 'export the pipeline from the module that defines it, and deploy the same code to every worker and image',
      },
    );
  }
  return definition;
}

/**
 * Imports a snapshot's defining module and recompiles the pipeline with the snapshot's parameters.
 * The recompiled snapshot must hash to the same id: otherwise this process would run different code
 * than the one that was submitted, and the lineage would lie.
 */
export async function loadCompiledPipeline(
  stack: Stack,
  snapshot: Snapshot,
  moduleUrl?: ModuleUrl,
): Promise<CompiledPipeline> {
  const definition = await importPipeline(stack.projectRoot, snapshot.module, snapshot.pipeline, moduleUrl);
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
