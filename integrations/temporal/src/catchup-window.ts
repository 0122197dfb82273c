import { calendarOf } from '@strata/core/plugin';

const MINUTE = 60_000;
const YEAR = 365 * 24 * 60 * MINUTE;

export interface CatchupInput {
  readonly catchUp?: 'skip' | 'one' | 'all';
  readonly cron: readonly string[];
  readonly every?: string;
  readonly timezone?: string;
}

/**
 * Temporal's catch-up window for a schedule's catch-up policy (slots missed while the Temporal server
 * was down): `skip` keeps only a slot still on time (a minute late at most), `all` reaches back a year,
 * and `one` reaches back one period of the calendar, which holds exactly the newest missed slot of a
 * regular calendar (every 10m, daily at 3:00, ...). Several cron expressions, or a calendar without two
 * further slots, fall back to a year (and the overlap policy decides how many of those run).
 */
export function catchupWindowMs(input: CatchupInput, now = Date.now()): number {
  if (input.catchUp === 'skip') return MINUTE;
  if (input.catchUp === 'all' || input.cron.length > 1) return YEAR;
  const calendar = calendarOf(
    {
      kind: 'schedule',
      ...(input.every === undefined ? { cron: input.cron[0] } : { every: input.every }),
      timezone: input.timezone ?? 'UTC',
      jitterMs: 0,
      catchUp: 'one',
    },
    now,
  );
  const first = calendar.next(now);
  const second = first === null ? null : calendar.next(first);
  return first === null || second === null ? YEAR : Math.max(MINUTE, second - first);
}
