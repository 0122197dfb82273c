import { describe, expect, it } from 'vitest';
import { NEVER_DUE, triggerDueAt } from './trigger-due.js';

describe('triggerDueAt', () => {
  it("is a schedule cursor's next due time, never for an ended calendar, null otherwise", () => {
    expect(triggerDueAt('schedule', { lastSlot: 1, nextDue: 5000 })).toBe(5000);
    expect(triggerDueAt('schedule', { lastSlot: 1, nextDue: null })).toBe(NEVER_DUE);
    // A cursor written before next-due times were stored: evaluated every tick until it moves.
    expect(triggerDueAt('schedule', { lastSlot: 1 })).toBeNull();
    expect(triggerDueAt('schedule', null)).toBeNull();
    expect(triggerDueAt('new_data', { nextDue: 5000 })).toBeNull();
  });
});
