import { Cron } from 'croner';
import { StrataError } from '../errors/strata-error.js';
import type { ScheduleCondition } from './trigger-spec.js';

/**
 * The instants a schedule fires at. Cron expressions are read by croner (zero dependencies, pure
 * JavaScript on Intl for time zones, DST-aware, with `nextRuns`/`previousRuns`), intervals are counted
 * from an anchor (the schedule's creation) so every agent computes the same slots.
 */
export interface Calendar {
  /** The first slot strictly after `after` (epoch ms), or null when there is none. */
  next(after: number): number | null;
  /** The last slot at or before `atOrBefore`, or null when there is none (since the anchor). */
  previous(atOrBefore: number): number | null;
  readonly description: string;
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `10m`, `1h30m`, `45s`, `2d`, optionally prefixed with `@every ` (Temporal's spelling). */
export function parseInterval(text: string): number {
  const body = text.trim().replace(/^@every\s+/, '');
  const parts = [...body.matchAll(/(\d+)(ms|s|m|h|d)/g)];
  const total = parts.reduce((sum, p) => sum + Number(p[1]) * UNITS[p[2]!]!, 0);
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== body || total < 1000) {
    throw new StrataError(`"${text}" is not an interval`, {
      code: 'invalid_schedule',
      field: 'every',
      value: text,
      fix: 'write a duration of at least 1s with units ms, s, m, h, d, e.g. "10m" or "1h30m"',
    });
  }
  return total;
}

/** Zones already seen valid: building an Intl formatter to check one costs ~0.3 ms, 1,000 schedules 0.3 s. */
const knownZones = new Set<string>(['UTC']);

export function checkTimezone(timezone: string): void {
  if (knownZones.has(timezone)) return;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    knownZones.add(timezone);
  } catch {
    throw new StrataError(`"${timezone}" is not a time zone`, {
      code: 'invalid_schedule',
      field: 'timezone',
      value: timezone,
      fix: 'use an IANA zone name such as "UTC", "Europe/Berlin" or "America/New_York"',
    });
  }
}

/** Builds (and so validates) the calendar of a schedule; `anchor` is where intervals count from. */
export function calendarOf(condition: ScheduleCondition, anchor: number): Calendar {
  const hasCron = condition.cron !== undefined && condition.cron !== '';
  const hasEvery = condition.every !== undefined && condition.every !== '';
  if (hasCron === hasEvery) {
    throw new StrataError('a schedule needs exactly one of cron and every', {
      code: 'invalid_schedule',
      field: hasCron ? 'every' : 'cron',
      value: hasCron ? `${condition.cron} and ${condition.every}` : '(none)',
      fix: 'pass --cron "0 3 * * *" or --every 10m, not both',
    });
  }
  checkTimezone(condition.timezone);
  if (hasEvery || condition.cron!.trim().startsWith('@every')) {
    const text = hasEvery ? condition.every! : condition.cron!;
    const every = parseInterval(text);
    return {
      description: `every ${text.replace(/^@every\s+/, '')}`,
      next: (after) => anchor + (Math.floor((after - anchor) / every) + 1) * every,
      previous: (at) => (at < anchor + every ? null : anchor + Math.floor((at - anchor) / every) * every),
    };
  }
  let cron: Cron;
  try {
    // UTC as a fixed offset: croner then does plain date arithmetic instead of an Intl round trip per step.
    cron = new Cron(
      condition.cron!,
      condition.timezone === 'UTC'
        ? { utcOffset: 0, paused: true }
        : { timezone: condition.timezone, paused: true },
    );
  } catch (error) {
    throw new StrataError(`"${condition.cron}" is not a cron expression: ${(error as Error).message}`, {
      code: 'invalid_schedule',
      field: 'cron',
      value: condition.cron!,
      fix: 'use five fields "minute hour day month weekday" (e.g. "0 3 * * *"), six with seconds, or @hourly/@daily/@weekly',
    });
  }
  if (cron.nextRun(new Date(anchor)) === null) {
    throw new StrataError(`"${condition.cron}" never fires`, {
      code: 'invalid_schedule',
      field: 'cron',
      value: condition.cron!,
      fix: 'check day and month fields (e.g. 31 in a 30-day month)',
    });
  }
  return {
    description: `cron ${condition.cron} (${condition.timezone})`,
    next: (after) => cron.nextRun(new Date(after))?.getTime() ?? null,
    previous: (at) => cron.previousRuns(1, new Date(at + 1))[0]?.getTime() ?? null,
  };
}

/**
 * Delay of one slot, in [0, jitterMs): a hash of the schedule's name and the slot, so every agent (and
 * a restarted one) waits the same and the slot still fires once.
 */
export function jitterOf(name: string, slot: number, jitterMs: number): number {
  if (jitterMs <= 0) return 0;
  let h = 2166136261;
  for (const c of `${name}@${slot}`) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return (h >>> 0) % jitterMs;
}
