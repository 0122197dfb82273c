import { type Calendar, calendarOf, dueSlots, nextDueAfter, type TriggerRecord } from '@strata/core/plugin';
import type { ScheduleCursor } from '../triggers/schedule-cursor.js';
import type { Evaluation, EvaluationContext } from './evaluation.js';

/** Calendar slots due now, by the catch-up policy; one candidate per slot, keyed by the slot. */
export async function evaluateSchedule(trigger: TriggerRecord, ctx: EvaluationContext): Promise<Evaluation> {
  const condition = trigger.condition;
  if (condition.kind !== 'schedule') throw new TypeError(`${trigger.name} is not a schedule`);
  const cursor = trigger.cursor as ScheduleCursor | null;
  const lastSlot = cursor?.lastSlot ?? trigger.createdAt;
  // The stored next-due time answers "not yet" without building the calendar: a cold tick over 1,000
  // schedules reads rows instead of parsing 1,000 cron expressions.
  if (cursor?.nextDue !== undefined && (cursor.nextDue === null || cursor.nextDue > ctx.now)) {
    return { candidates: [], nextCheck: cursor.nextDue ?? Number.MAX_SAFE_INTEGER };
  }
  let calendar = ctx.memo.get('calendar') as Calendar | undefined;
  if (!calendar) {
    calendar = calendarOf(condition, trigger.createdAt);
    ctx.memo.set('calendar', calendar);
  }
  const due = dueSlots({
    name: trigger.name,
    calendar,
    lastSlot,
    now: ctx.now,
    catchUp: condition.catchUp,
    jitterMs: condition.jitterMs,
    graceMs: ctx.graceMs,
  });
  const nextCheck = due.nextDue ?? Number.MAX_SAFE_INTEGER;
  const after = (slot: number): ScheduleCursor => ({
    lastSlot: slot,
    nextDue: nextDueAfter(trigger.name, calendar, slot, condition.jitterMs),
  });
  const candidates = due.fire.map((slot, i) => ({
    dedupeKey: `slot:${new Date(slot).toISOString()}`,
    reason: `${calendar.description}: slot ${new Date(slot).toISOString()}${i === 0 && due.missed > 0 ? ` (${due.missed} missed slot${due.missed === 1 ? '' : 's'} dropped by catch-up ${condition.catchUp})` : ''}`,
    evidence: {
      slot: new Date(slot).toISOString(),
      lateMs: ctx.now - slot,
      missed: i === 0 ? due.missed : 0,
    },
    cursor: { ...after(slot) },
  }));
  // Dropped slots move the cursor; so does a cursor written before next-due times were stored (once).
  const move = candidates.length === 0 && (due.lastSlot !== lastSlot || cursor?.nextDue === undefined);
  return { candidates, ...(move ? { cursor: { ...after(due.lastSlot) } } : {}), nextCheck };
}
