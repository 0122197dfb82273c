import { finishedRunStatuses } from '../metadata/records.js';
import type { Stack } from '../stack/stack.js';
import { loadRunForExecution, type RunForExecution } from './run-for-execution.js';
import type { StepOutcome, StepRunner, StepTask } from './step-runner.js';

export interface StepEntryArgs {
  readonly runId: string;
  readonly nodeId: string;
  readonly mapIndex: number;
  readonly noCache?: boolean;
  readonly resumedFrom?: string | null;
  /** Which execution of the step this is (a Temporal activity's attempt): each logs in its own block. */
  readonly execution?: number;
}

/**
 * The step-entry program's arguments for one task (after the stack's `stepCommand`): local process
 * isolation and Docker containers start steps with exactly this list. The stack is named so the
 * program opens the run's own stack, whatever its environment says.
 */
export function stepEntryArgs(task: StepTask, stackName: string): string[] {
  const args = [
    '--run',
    task.runId,
    '--step',
    task.nodeId,
    // `--index=-1`, not `--index -1`: parseArgs would read "-1" as an option.
    `--index=${task.mapIndex ?? -1}`,
    '--stack',
    stackName,
  ];
  if (task.noCache) args.push('--no-cache');
  if (task.resumedFrom) args.push('--resumed-from', task.resumedFrom);
  return args;
}

export interface StepEntryOptions {
  /** Aborted by the program's signal handling (SIGTERM, SIGINT) or the worker's activity cancellation. */
  readonly signal?: AbortSignal;
  /** A worker that runs many steps of one run loads it once. */
  readonly loaded?: RunForExecution;
  /** A worker's long-lived runner (from `stack.stepRunner()`), keeping its caches across steps. */
  readonly runner?: StepRunner;
}

/**
 * Runs one step of a recorded run in this process: what the step-entry program does in a child process
 * or a container, and what a Temporal worker's activity does. The run must belong to `stack`
 * (loadRunForExecution refuses another stack's run).
 */
export async function runStepEntry(
  stack: Stack,
  args: StepEntryArgs,
  options: StepEntryOptions = {},
): Promise<StepOutcome> {
  const { signal } = options;
  const { snapshot, compiled } = options.loaded ?? (await loadRunForExecution(stack, args.runId));
  return (options.runner ?? stack.stepRunner()).run({
    runId: args.runId,
    snapshot,
    compiled,
    nodeId: args.nodeId,
    mapIndex: args.mapIndex,
    noCache: args.noCache ?? false,
    resumedFrom: args.resumedFrom ?? null,
    ...(args.execution === undefined ? {} : { execution: args.execution }),
    ...(signal ? { signal } : {}),
  });
}

/**
 * Requests cancellation; orchestrators notice it and stop the run's steps. A run that already ended
 * (Ctrl-C just after its last step) keeps its status: a completed run is not recorded cancelled.
 */
export async function cancelRun(stack: Stack, runId: string): Promise<void> {
  const run = await stack.database.getRun(runId);
  if (run && finishedRunStatuses.includes(run.status)) return;
  await stack.database.updateRun(runId, { status: 'cancelled' });
  await stack.orchestrator.cancel?.(runId);
}
