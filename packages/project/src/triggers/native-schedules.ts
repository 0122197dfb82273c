import type { Stack } from '@strata/core';
import type { PipelineSchedules, ScheduleCondition, TriggerRecord } from '@strata/core/plugin';
import { nativeId } from './create-trigger.js';

/** The orchestrator's own scheduler (Temporal Schedules), when it has one. */
export function nativeScheduler(stack: Stack): PipelineSchedules | undefined {
  return stack.orchestrator.schedules?.(stack);
}

/** Creates the stored schedule in the orchestrator's scheduler, with the same calendar and policies. */
export async function createNativeSchedule(
  native: PipelineSchedules,
  record: TriggerRecord,
  modulePath: string,
  condition: ScheduleCondition,
): Promise<void> {
  await native.create({
    id: nativeId(record.name),
    trigger: record.name,
    module: modulePath,
    pipeline: record.target.pipeline,
    params: record.target.params,
    cron: condition.cron ?? [],
    ...(condition.every === undefined ? {} : { every: condition.every }),
    timezone: condition.timezone,
    jitterMs: condition.jitterMs,
    catchUp: condition.catchUp,
    overlap: record.overlap,
  });
}
