/**
 * Schedules are a capability of the orchestrator: each flavor that can fire pipelines on a calendar
 * registers a provider here, keyed by flavor name. A stack whose orchestrator has none gets one clear
 * error. Imported only inside actions; a provider imports its integration only when called.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Stack, StrataError } from '@strata/core';

export interface ScheduleRow {
  readonly id: string;
  readonly pipeline: string;
  readonly cron: readonly string[];
  readonly paused: boolean;
  readonly nextRuns: readonly Date[];
}

export interface ScheduleRequest {
  /** The pipeline module (absolute, or relative to the current directory). */
  readonly module: string;
  readonly pipeline?: string;
  readonly cron: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly id?: string;
}

/** What `strata schedule` needs from an orchestrator. */
export interface PipelineSchedules {
  create(request: ScheduleRequest): Promise<ScheduleRow>;
  list(): Promise<ScheduleRow[]>;
  pause(id: string, paused: boolean): Promise<void>;
  trigger(id: string): Promise<void>;
  delete(id: string): Promise<void>;
}

type TemporalModule = typeof import('@strata/temporal');

/**
 * @strata/temporal as the project resolves it (the copy whose orchestrator class the stack was built
 * with), else the CLI's own dependency.
 */
export async function loadTemporal(projectRoot: string): Promise<TemporalModule> {
  let path: string | undefined;
  try {
    path = createRequire(join(projectRoot, 'package.json')).resolve('@strata/temporal');
  } catch {
    path = undefined;
  }
  return path === undefined
    ? import('@strata/temporal')
    : ((await import(pathToFileURL(path).href)) as TemporalModule);
}

const providers: Readonly<Record<string, (stack: Stack) => Promise<PipelineSchedules>>> = {
  async temporal(stack) {
    const t = await loadTemporal(stack.projectRoot);
    return {
      create: (r) =>
        t.createSchedule({
          stack,
          module: r.module,
          cron: r.cron,
          params: r.params,
          ...(r.pipeline === undefined ? {} : { pipeline: r.pipeline }),
          ...(r.id === undefined ? {} : { id: r.id }),
        }),
      list: () => t.listSchedules(stack),
      pause: (id, paused) => t.pauseSchedule(stack, id, paused),
      trigger: (id) => t.triggerSchedule(stack, id),
      delete: (id) => t.deleteSchedule(stack, id),
    };
  },
};

/** Orchestrator flavors that can schedule pipelines. */
export const schedulingFlavors: readonly string[] = Object.keys(providers);

export async function schedulesOf(stack: Stack): Promise<PipelineSchedules> {
  const flavor = stack.orchestrator.flavor;
  const provide = providers[flavor];
  if (!provide) {
    throw new StrataError(
      `stack "${stack.name}" cannot schedule pipelines: its orchestrator has flavor ${flavor}, which has no schedules`,
      {
        code: 'no_schedules',
        field: 'stack',
        value: stack.name,
        fix: `pass --stack NAME of a stack whose orchestrator has flavor ${schedulingFlavors.join(' or ')} (strata stack list)`,
      },
    );
  }
  return provide(stack);
}

/** Schedule ids carry the `strata-` prefix (so `list` finds them); NAME may be given with or without it. */
export function scheduleId(name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
    throw new StrataError(`schedule name "${name}" is not valid`, {
      code: 'bad_schedule_name',
      field: 'name',
      value: name,
      fix: 'use letters, digits, ".", "_" and "-", e.g. --name nightly-train',
    });
  }
  return name.startsWith('strata-') ? name : `strata-${name}`;
}

/** Opens the active (or --stack) stack with its schedules, runs `work`, closes the stack. */
export async function withSchedules<T>(
  stackFlag: string | undefined,
  work: (schedules: PipelineSchedules, stack: Stack) => Promise<T>,
): Promise<T> {
  const lib = await import('@strata/project');
  await lib.enableTypeScript();
  const stack = await lib.openStack(stackFlag === undefined ? {} : { stack: stackFlag });
  try {
    return await work(await schedulesOf(stack), stack);
  } finally {
    await stack.close();
  }
}
