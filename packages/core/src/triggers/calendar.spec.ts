import { describe, expect, it } from 'vitest';
import type { StrataError } from '../errors/strata-error.js';
import { calendarOf, jitterOf, parseInterval } from './calendar.js';
import { triggerSchemas } from './trigger-spec.js';

const schedule = (fields: Record<string, unknown>) =>
  triggerSchemas().scheduleCondition.parse({ kind: 'schedule', ...fields });
const errorOf = (fn: () => unknown): StrataError => {
  try {
    fn();
  } catch (e) {
    return e as StrataError;
  }
  throw new Error('expected an error');
};

describe('calendar', () => {
  it('reads intervals with units, Temporal spelling included', () => {
    expect(parseInterval('10m')).toBe(600_000);
    expect(parseInterval('@every 1h30m')).toBe(5_400_000);
    expect(errorOf(() => parseInterval('10 minutes'))).toMatchObject({
      code: 'invalid_schedule',
      field: 'every',
    });
    expect(errorOf(() => parseInterval('500ms')).fix).toContain('at least 1s');
  });

  it('counts interval slots from the anchor, so every agent computes the same ones', () => {
    const cal = calendarOf(schedule({ every: '10m' }), 1_000);
    expect(cal.next(1_000)).toBe(601_000);
    expect(cal.next(601_000)).toBe(1_201_000);
    expect(cal.previous(1_200_999)).toBe(601_000);
    expect(cal.previous(500_000)).toBeNull();
  });

  it('reads cron in the time zone given, across a DST change', () => {
    const cal = calendarOf(schedule({ cron: '0 3 * * *', timezone: 'Europe/Berlin' }), 0);
    // 2026-03-28 is CET (UTC+1), 2026-03-29 03:00 is already CEST (UTC+2).
    expect(new Date(cal.next(Date.parse('2026-03-28T00:00:00Z'))!).toISOString()).toBe(
      '2026-03-28T02:00:00.000Z',
    );
    expect(new Date(cal.next(Date.parse('2026-03-29T00:00:00Z'))!).toISOString()).toBe(
      '2026-03-29T01:00:00.000Z',
    );
    expect(new Date(cal.previous(Date.parse('2026-03-29T01:00:00Z'))!).toISOString()).toBe(
      '2026-03-29T01:00:00.000Z',
    );
  });

  it('refuses a bad cron, a bad zone, both or neither, naming field and fix', () => {
    expect(errorOf(() => calendarOf(schedule({ cron: '61 * * * *' }), 0))).toMatchObject({
      code: 'invalid_schedule',
      field: 'cron',
      value: '61 * * * *',
    });
    expect(
      errorOf(() => calendarOf(schedule({ cron: '0 3 * * *', timezone: 'Mars/Olympus' }), 0)),
    ).toMatchObject({
      field: 'timezone',
      value: 'Mars/Olympus',
    });
    expect(errorOf(() => calendarOf(schedule({ cron: '0 3 * * *', every: '1h' }), 0)).field).toBe('every');
    expect(errorOf(() => calendarOf(schedule({}), 0)).field).toBe('cron');
  });

  it('jitters a slot the same way every time, within the bound', () => {
    const a = jitterOf('nightly', 1_000, 60_000);
    expect(jitterOf('nightly', 1_000, 60_000)).toBe(a);
    expect(a).toBeGreaterThanOrEqual(0);
    expect(a).toBeLessThan(60_000);
    expect(jitterOf('nightly', 1_000, 0)).toBe(0);
    const spread = new Set(Array.from({ length: 50 }, (_, i) => jitterOf('nightly', i * 1000, 60_000)));
    expect(spread.size).toBeGreaterThan(40);
  });
});
