/**
 * Schedules are a capability of the orchestrator (`Orchestrator.schedules` in @strata/core): any
 * flavor that can fire pipelines on a calendar offers it, Temporal's and third-party plugins' alike.
 * A stack whose orchestrator has none gets one clear error. Imported only inside actions.
 */
import type { PipelineSchedules, Stack } from '@strata/core';
import { StrataError } from '@strata/core';

export function schedulesOf(stack: Stack): PipelineSchedules {
  const schedules = stack.orchestrator.schedules?.(stack);
  if (!schedules) {
    const flavor = stack.orchestrator.flavor;
    throw new StrataError(
      `stack "${stack.name}" cannot schedule pipelines: its orchestrator has flavor ${flavor}, which has no schedules`,
      {
        code: 'no_schedules',
        field: 'stack',
        value: stack.name,
        fix: 'pass --stack NAME of a stack whose orchestrator can schedule, e.g. flavor temporal (strata stack list)',
      },
    );
  }
  return schedules;
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
    return await work(schedulesOf(stack), stack);
  } finally {
    await stack.close();
  }
}
