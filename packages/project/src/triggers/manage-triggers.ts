import { type Stack, StrataError } from '@strata/core';
import { calendarOf, type FiringWithRun, jitterOf, type TriggerRecord } from '@strata/core/plugin';
import { nativeId } from './create-trigger.js';
import { nativeScheduler } from './native-schedules.js';

export type TriggerGroup = 'schedule' | 'trigger';

/** A stored trigger with what `describe` adds: when a schedule fires next, and its recent firings. */
export interface TriggerDescription extends TriggerRecord {
  readonly nextFiring: number | null;
  readonly firings: readonly FiringWithRun[];
}

export async function getTrigger(stack: Stack, name: string, group?: TriggerGroup): Promise<TriggerRecord> {
  const record = await stack.database.getTrigger(name);
  if (!record || (group !== undefined && groupOf(record) !== group)) {
    const what = group ?? 'schedule or trigger';
    throw new StrataError(`no ${what} named "${name}"`, {
      code: 'unknown_trigger',
      field: 'name',
      value: name,
      fix: `list them with \`strata ${group ?? 'trigger'} list\`${group === 'trigger' ? ' (schedules: `strata schedule list`)' : ''}`,
    });
  }
  return record;
}

export function groupOf(record: TriggerRecord): TriggerGroup {
  return record.kind === 'schedule' ? 'schedule' : 'trigger';
}

export function listTriggers(stack: Stack, group?: TriggerGroup): Promise<TriggerRecord[]> {
  return stack.database.listTriggers(group === undefined ? {} : { kind: group });
}

/** The next instant a schedule fires (jitter included), from its cursor; null for other kinds or paused. */
export function nextFiring(record: TriggerRecord, now = Date.now()): number | null {
  if (record.condition.kind !== 'schedule' || record.paused) return null;
  const calendar = calendarOf(record.condition, record.createdAt);
  const cursor = (record.cursor as { lastSlot?: number } | null)?.lastSlot ?? record.createdAt;
  const slot = calendar.next(Math.max(cursor, now - 1));
  return slot === null ? null : slot + jitterOf(record.name, slot, record.condition.jitterMs);
}

export async function describeTrigger(
  stack: Stack,
  name: string,
  group?: TriggerGroup,
): Promise<TriggerDescription> {
  const record = await getTrigger(stack, name, group);
  const firings = await stack.database.listFirings({ trigger: name, limit: 10 });
  return { ...record, nextFiring: nextFiring(record), firings };
}

/** A schedule the orchestrator fires itself (a Temporal Schedule): pause and delete go there too. */
function nativelyScheduled(record: TriggerRecord): boolean {
  return record.firedBy !== 'agent' && record.kind === 'schedule';
}

export async function pauseTrigger(
  stack: Stack,
  name: string,
  paused: boolean,
  group?: TriggerGroup,
): Promise<void> {
  const record = await getTrigger(stack, name, group);
  // Other triggers, whoever evaluates them (agents, Temporal's trigger workflow), read the stored flag.
  if (nativelyScheduled(record)) await nativeScheduler(stack)?.pause(nativeId(name), paused);
  await stack.database.setTriggerPaused(name, paused);
}

export async function deleteTrigger(stack: Stack, name: string, group?: TriggerGroup): Promise<void> {
  const record = await getTrigger(stack, name, group);
  if (nativelyScheduled(record)) {
    await nativeScheduler(stack)
      ?.delete(nativeId(name))
      .catch((error: unknown) => {
        // Already gone from Temporal (deleted there by hand): the stored row still goes.
        if ((error as { code?: string }).code !== 'unknown_schedule') throw error;
      });
  }
  await stack.database.deleteTrigger(name);
}

export async function triggerHistory(stack: Stack, name: string, limit = 50): Promise<FiringWithRun[]> {
  return stack.database.listFirings({ trigger: name, limit });
}
