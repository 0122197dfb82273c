import type { JsonValue } from '../metadata/records.js';
import type { TriggerKind } from './trigger-spec.js';

/** Stands for "never due" in the store's due_at column (a schedule whose calendar has ended). */
export const NEVER_DUE = Number.MAX_SAFE_INTEGER;

/**
 * When a trigger next needs evaluating, as the store indexes it (`due_at`): a schedule's cursor keeps
 * its next due time (a pure function of the stored condition, so any agent may trust it); every other
 * kind is null, meaning "look at every tick" (sources, serving windows and upstream runs change
 * without the trigger's row changing). A fresh agent reads only the rows that are due.
 */
export function triggerDueAt(kind: TriggerKind, cursor: JsonValue): number | null {
  if (kind !== 'schedule' || cursor === null || typeof cursor !== 'object' || Array.isArray(cursor))
    return null;
  const next = (cursor as { nextDue?: unknown }).nextDue;
  if (next === null) return NEVER_DUE;
  return typeof next === 'number' && Number.isFinite(next) ? next : null;
}
