import { describe, expect, it } from 'vitest';
import { catchupWindowMs } from './catchup-window.js';

const now = Date.parse('2026-12-06T18:00:00Z');

describe('catchupWindowMs', () => {
  it('skip: a minute; all: a year', () => {
    expect(catchupWindowMs({ catchUp: 'skip', cron: ['0 3 * * *'] }, now)).toBe(60_000);
    expect(catchupWindowMs({ catchUp: 'all', cron: ['0 3 * * *'] }, now)).toBe(365 * 86_400_000);
  });

  it('one: one period of the calendar, so only the newest missed slot is inside it', () => {
    expect(catchupWindowMs({ catchUp: 'one', cron: [], every: '10m' }, now)).toBe(600_000);
    expect(catchupWindowMs({ catchUp: 'one', cron: ['0 3 * * *'] }, now)).toBe(86_400_000);
    expect(catchupWindowMs({ catchUp: 'one', cron: ['@every 2h'] }, now)).toBe(7_200_000);
    // Never shorter than a minute (Temporal would drop a slot that is merely a few seconds late).
    expect(catchupWindowMs({ catchUp: 'one', cron: ['*/10 * * * * *'] }, now)).toBe(60_000);
  });

  it('one with several cron expressions falls back to a year (the overlap policy decides)', () => {
    expect(catchupWindowMs({ catchUp: 'one', cron: ['0 3 * * *', '0 15 * * *'] }, now)).toBe(
      365 * 86_400_000,
    );
  });
});
