import { type Calendar, calendarOf, dueSlots, type TriggerRecord } from '@strata/core/plugin';
import type { Evaluation, EvaluationContext } from './evaluation.js';

/** Calendar slots due now, by the catch-up policy; one candidate per slot, keyed by the slot. */
export async function evaluateSchedule(trigger: TriggerRecord, ctx: EvaluationContext): Promise<Evaluation> {
  const condition = trigger.condition;
  if (condition.kind !== 'schedule') throw new TypeError(`${trigger.name} is not a schedule`);
  let calendar = ctx.memo.get('calendar') as Calendar | undefined;
  if (!calendar) {
    calendar = calendarOf(condition, trigger.createdAt);
    ctx.memo.set('calendar', calendar);
  }
  const lastSlot = (trigger.cursor as { lastSlot?: number } | null)?.lastSlot ?? trigger.createdAt;
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
  const candidates = due.fire.map((slot, i) => ({
    dedupeKey: `slot:${new Date(slot).toISOString()}`,
    reason: `${calendar.description}: slot ${new Date(slot).toISOString()}${i === 0 && due.missed > 0 ? ` (${due.missed} missed slot${due.missed === 1 ? '' : 's'} dropped by catch-up ${condition.catchUp})` : ''}`,
    evidence: {
      slot: new Date(slot).toISOString(),
      lateMs: ctx.now - slot,
      missed: i === 0 ? due.missed : 0,
    },
    cursor: { lastSlot: slot },
  }));
  return {
    candidates,
    ...(candidates.length === 0 && due.lastSlot !== lastSlot ? { cursor: { lastSlot: due.lastSlot } } : {}),
    nextCheck,
  };
}
