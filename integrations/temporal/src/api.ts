/**
 * The package's functions, loading the Temporal SDK only when called: importing `@strata/temporal`
 * (as every project that lists the plugin does) stays cheap.
 */
import type { Stack } from '@strata/core';
import type { RunProgress } from './plan.js';
import type { CreateScheduleOptions, ScheduleSummary } from './schedules.js';
import type { ServeWorkerFlags } from './serve-worker.js';
import type { StrataWorker, WorkerOptions } from './worker.js';

/** Starts a Temporal worker for a stack of the project (see worker.ts). */
export async function startWorker(options: WorkerOptions = {}): Promise<StrataWorker> {
  return (await import('./worker.js')).startWorker(options);
}

/** `strata worker` / `strata-temporal-worker`: starts a worker and polls until SIGINT/SIGTERM (serve-worker.ts). */
export async function serveWorker(
  flags: ServeWorkerFlags,
  out?: { write(text: string): unknown },
): Promise<void> {
  return (await import('./serve-worker.js')).serveWorker(flags, out);
}

export async function createSchedule(options: CreateScheduleOptions): Promise<ScheduleSummary> {
  return (await import('./schedules.js')).createSchedule(options);
}

export async function listSchedules(stack: Stack): Promise<ScheduleSummary[]> {
  return (await import('./schedules.js')).listSchedules(stack);
}

export async function describeSchedule(stack: Stack, id: string): Promise<ScheduleSummary> {
  return (await import('./schedules.js')).describeSchedule(stack, id);
}

export async function pauseSchedule(stack: Stack, id: string, paused = true): Promise<void> {
  return (await import('./schedules.js')).pauseSchedule(stack, id, paused);
}

export async function triggerSchedule(stack: Stack, id: string): Promise<void> {
  return (await import('./schedules.js')).triggerSchedule(stack, id);
}

export async function deleteSchedule(stack: Stack, id: string): Promise<void> {
  return (await import('./schedules.js')).deleteSchedule(stack, id);
}

/**
 * A running run's live step counts, from its workflow's `progress` query; undefined when the stack's
 * orchestrator is not temporal or the workflow is unknown. The metadata store rows say the same, a
 * moment later.
 */
export async function runProgress(stack: Stack, runId: string): Promise<RunProgress | undefined> {
  if (stack.orchestrator.flavor !== 'temporal') return undefined;
  const { TemporalOrchestrator } = await import('./temporal-orchestrator.js');
  if (!(stack.orchestrator instanceof TemporalOrchestrator)) return undefined;
  return stack.orchestrator.progress(runId);
}
