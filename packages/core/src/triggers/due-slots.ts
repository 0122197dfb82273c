import { type Calendar, jitterOf } from './calendar.js';
import type { CatchUpPolicy } from './trigger-spec.js';

export interface DueSlots {
  /** Slots to fire now, oldest first. */
  readonly fire: readonly number[];
  /** Slots that passed unfired and are dropped by the catch-up policy. */
  readonly missed: number;
  /** The cursor after this evaluation: the newest slot fired or dropped (unchanged when nothing was due). */
  readonly lastSlot: number;
  /** When the next slot becomes due (jitter included), or null; an agent need not look before. */
  readonly nextDue: number | null;
}

export interface DueSlotsInput {
  readonly name: string;
  readonly calendar: Calendar;
  /** The newest slot already fired or dropped; the anchor (creation time) for a new schedule. */
  readonly lastSlot: number;
  readonly now: number;
  readonly catchUp: CatchUpPolicy;
  readonly jitterMs: number;
  /** How late a slot may fire and still count as on time (not missed). */
  readonly graceMs: number;
  /** At most this many firings per evaluation with catch-up `all` (the rest come next time). */
  readonly maxPerTick?: number;
}

/**
 * Which calendar slots are due, following the catch-up policy for slots missed while nothing ran:
 * `all` fires each one, `one` fires only the newest, `skip` fires only a slot that is still on time
 * (within graceMs). A slot is due once its (deterministic) jitter has passed too.
 */
export function dueSlots(input: DueSlotsInput): DueSlots {
  const { calendar, name, now, jitterMs } = input;
  const dueAt = (slot: number) => slot + jitterOf(name, slot, jitterMs);
  const first = calendar.next(input.lastSlot);
  if (first === null || dueAt(first) > now) {
    return { fire: [], missed: 0, lastSlot: input.lastSlot, nextDue: first === null ? null : dueAt(first) };
  }
  if (input.catchUp === 'all') {
    const fire: number[] = [];
    const max = input.maxPerTick ?? 100;
    let slot: number | null = first;
    while (slot !== null && dueAt(slot) <= now && fire.length < max) {
      fire.push(slot);
      slot = calendar.next(slot);
    }
    const lastSlot = fire.at(-1)!;
    const following = calendar.next(lastSlot);
    return { fire, missed: 0, lastSlot, nextDue: following === null ? null : dueAt(following) };
  }
  // The newest slot that is due: the last slot at or before now, or the one before if its jitter runs.
  let newest = calendar.previous(now);
  if (newest !== null && dueAt(newest) > now) newest = calendar.previous(newest - 1);
  if (newest === null || newest < first) newest = first;
  const passed = countSlots(calendar, first, newest);
  const following = calendar.next(newest);
  const nextDue = following === null ? null : dueAt(following);
  const onTime = now - dueAt(newest) <= input.graceMs;
  if (input.catchUp === 'skip' && !onTime) return { fire: [], missed: passed, lastSlot: newest, nextDue };
  return { fire: [newest], missed: passed - 1, lastSlot: newest, nextDue };
}

/**
 * When the slot after `slot` becomes due (jitter included), or null when the calendar ends. Stored in a
 * schedule's cursor beside the slot it follows, so a freshly started agent knows when each schedule is
 * next due without building its calendar (1,000 croner calendars cost a second on a loaded machine).
 */
export function nextDueAfter(
  name: string,
  calendar: Calendar,
  slot: number,
  jitterMs: number,
): number | null {
  const following = calendar.next(slot);
  return following === null ? null : following + jitterOf(name, following, jitterMs);
}

/** Slots in [from, to], counted up to a cap (only for reporting how many were missed). */
function countSlots(calendar: Calendar, from: number, to: number, cap = 10_000): number {
  let n = 0;
  for (let slot: number | null = from; slot !== null && slot <= to && n < cap; slot = calendar.next(slot))
    n++;
  return n;
}
