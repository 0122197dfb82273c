import { isAbsolute, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isPipeline, isStrataError, type Stack, StrataError } from '@strata/core';
import { parseInterval, type ScheduleRequest, type ScheduleRow } from '@strata/core/plugin';
import { ScheduleNotFoundError, ScheduleOverlapPolicy } from '@temporalio/client';
import { catchupWindowMs } from './catchup-window.js';
import { runSettings } from './connection.js';
import type { ScheduledRunInput } from './plan.js';
import { TemporalOrchestrator } from './temporal-orchestrator.js';

export interface CreateScheduleOptions extends ScheduleRequest {
  readonly stack: Stack;
}

/** Kept as the Temporal package's name for core's ScheduleRow. */
export type ScheduleSummary = ScheduleRow;

const PREFIX = 'strata-';

const OVERLAP = {
  skip: ScheduleOverlapPolicy.SKIP,
  queue: ScheduleOverlapPolicy.BUFFER_ONE,
  allow: ScheduleOverlapPolicy.ALLOW_ALL,
} as const;

/**
 * A Temporal Schedule whose action compiles the pipeline on a worker, records the run and executes it
 * (workflow `strataScheduledRun`). The module path is stored relative to the project root, so every
 * worker resolves it in its own checkout. Parameters are validated now, by compiling once.
 */
export async function createSchedule(options: CreateScheduleOptions): Promise<ScheduleSummary> {
  const orchestrator = temporalOf(options.stack);
  const root = options.stack.projectRoot;
  const path = resolve(options.module);
  const inside = relative(root, path);
  const module = inside.startsWith('..') || isAbsolute(inside) ? path : inside;
  const pipelines = Object.values((await import(pathToFileURL(path).href)) as Record<string, unknown>).filter(
    isPipeline,
  );
  const definition =
    options.pipeline === undefined && pipelines.length === 1
      ? pipelines[0]!
      : pipelines.find((p) => p.name === options.pipeline);
  if (!definition) {
    throw new StrataError(
      `${options.module} exports no pipeline${options.pipeline ? ` named "${options.pipeline}"` : ' (or several)'}`,
      {
        code: 'pipeline_not_found',
        field: 'pipeline',
        value: options.pipeline ?? pipelines.map((p) => p.name).join(', '),
        fix: `pass one of: ${pipelines.map((p) => p.name).join(', ') || 'none exported'}`,
      },
    );
  }
  const name = definition.name;
  // Validates the parameters now, not at 3 a.m. on a worker.
  definition.compile({ ...options.params }, { projectRoot: root });
  const cron = typeof options.cron === 'string' ? [options.cron] : [...options.cron];
  const every = options.every === undefined ? undefined : parseInterval(options.every);
  const id = options.id ?? `${PREFIX}${name}-${options.stack.name}`;
  const input: ScheduledRunInput = {
    module,
    pipeline: name,
    params: { ...options.params },
    stack: options.stack.name,
    settings: runSettings(orchestrator.config),
    ...(options.trigger === undefined ? {} : { schedule: options.trigger }),
  };
  const client = await orchestrator.client();
  try {
    await client.schedule.create({
      scheduleId: id,
      spec: {
        ...(every === undefined ? { cronExpressions: cron } : { intervals: [{ every }] }),
        ...(options.timezone === undefined ? {} : { timezone: options.timezone }),
        ...(options.jitterMs ? { jitter: options.jitterMs } : {}),
      },
      action: {
        type: 'startWorkflow',
        workflowType: 'strataScheduledRun',
        taskQueue: orchestrator.config.taskQueue,
        args: [input],
      },
      policies: {
        overlap: OVERLAP[options.overlap ?? 'allow'],
        // Temporal fires every action missed within the catch-up window (subject to overlap): the window
        // carries the policy (see catchup-window.ts).
        catchupWindow: catchupWindowMs({
          cron,
          ...(options.every === undefined ? {} : { every: options.every }),
          ...(options.catchUp === undefined ? {} : { catchUp: options.catchUp }),
          ...(options.timezone === undefined ? {} : { timezone: options.timezone }),
        }),
      },
      memo: { strataPipeline: name, strataCron: every === undefined ? cron : [`@every ${options.every}`] },
    });
  } catch (error) {
    throw new StrataError(`cannot create schedule "${id}": ${(error as Error).message}`, {
      code: 'schedule_create_failed',
      field: 'cron',
      value: cron.join(' | '),
      fix: 'check the cron expression (5 fields, or "@every 1h"); delete an existing schedule of the same id first',
    });
  }
  return describeSchedule(options.stack, id);
}

export async function listSchedules(stack: Stack): Promise<ScheduleSummary[]> {
  const client = await temporalOf(stack).client();
  const ids: string[] = [];
  for await (const s of client.schedule.list()) if (s.scheduleId.startsWith(PREFIX)) ids.push(s.scheduleId);
  const out = [];
  for (const id of ids.sort()) {
    // The listing comes from Temporal's visibility store, which lags a delete by a moment: an id
    // listed there whose schedule is already gone is left out, not an error for the whole list.
    const summary = await describeSchedule(stack, id).catch((error: unknown) => {
      if (isStrataError(error) && error.code === 'unknown_schedule') return undefined;
      throw error;
    });
    if (summary) out.push(summary);
  }
  return out;
}

export async function describeSchedule(stack: Stack, id: string): Promise<ScheduleSummary> {
  const handle = await scheduleHandle(stack, id);
  const d = await handle.describe().catch((error: unknown) => notFound(error, id));
  const action = d.action as { args?: unknown[] };
  const input = action.args?.[0] as ScheduledRunInput | undefined;
  return {
    id,
    pipeline: input?.pipeline ?? '?',
    cron: (d.memo?.strataCron as string[] | undefined) ?? [],
    paused: d.state.paused,
    nextRuns: d.info.nextActionTimes,
  };
}

export async function pauseSchedule(stack: Stack, id: string, paused = true): Promise<void> {
  const handle = await scheduleHandle(stack, id);
  await (paused ? handle.pause('paused by strata') : handle.unpause('resumed by strata')).catch(
    (error: unknown) => notFound(error, id),
  );
}

/** Starts the scheduled action now, whatever the cron says. */
export async function triggerSchedule(stack: Stack, id: string): Promise<void> {
  const handle = await scheduleHandle(stack, id);
  await handle.trigger(ScheduleOverlapPolicy.ALLOW_ALL).catch((error: unknown) => notFound(error, id));
}

export async function deleteSchedule(stack: Stack, id: string): Promise<void> {
  const handle = await scheduleHandle(stack, id);
  await handle.delete().catch((error: unknown) => notFound(error, id));
}

async function scheduleHandle(stack: Stack, id: string) {
  return (await temporalOf(stack).client()).schedule.getHandle(id);
}

function notFound(error: unknown, id: string): never {
  if (error instanceof ScheduleNotFoundError) {
    throw new StrataError(`schedule "${id}" does not exist`, {
      code: 'unknown_schedule',
      field: 'schedule',
      value: id,
      fix: 'list schedules with `strata schedule list`',
    });
  }
  throw error;
}

function temporalOf(stack: Stack): TemporalOrchestrator {
  if (stack.orchestrator instanceof TemporalOrchestrator) return stack.orchestrator;
  throw new StrataError(
    `schedules need a temporal orchestrator; stack "${stack.name}" uses ${stack.orchestrator.flavor}`,
    {
      code: 'not_temporal',
      field: 'stack',
      value: stack.name,
      fix: 'pass --stack NAME of a stack whose orchestrator has flavor temporal',
    },
  );
}
