import { calendarOf, nextDueAfter, type ScheduleCondition } from '@strata/core/plugin';

/**
 * A schedule's cursor: the newest slot fired or dropped, and when the slot after it is due (null: the
 * calendar has ended). Both are pure functions of the stored condition, so any agent may trust them.
 */
export interface ScheduleCursor {
  readonly lastSlot: number;
  readonly nextDue?: number | null;
}

/** The cursor a new schedule starts from: nothing fired, the first slot after its creation next. */
export function initialScheduleCursor(
  name: string,
  condition: ScheduleCondition,
  createdAt: number,
): ScheduleCursor {
  return {
    lastSlot: createdAt,
    nextDue: nextDueAfter(name, calendarOf(condition, createdAt), createdAt, condition.jitterMs),
  };
}
