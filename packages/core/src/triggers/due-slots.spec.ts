import { describe, expect, it } from 'vitest';
import { calendarOf, jitterOf } from './calendar.js';
import { dueSlots } from './due-slots.js';
import { triggerSchemas } from './trigger-spec.js';

const MIN = 60_000;
const hourly = calendarOf(triggerSchemas().scheduleCondition.parse({ kind: 'schedule', every: '1h' }), 0);
const base = { name: 's', calendar: hourly, jitterMs: 0, graceMs: MIN } as const;

describe('dueSlots', () => {
  it('fires nothing before the next slot and says when to look again', () => {
    expect(dueSlots({ ...base, lastSlot: 0, now: 59 * MIN, catchUp: 'one' })).toEqual({
      fire: [],
      missed: 0,
      lastSlot: 0,
      nextDue: 60 * MIN,
    });
  });

  it('fires an on-time slot under every policy', () => {
    for (const catchUp of ['skip', 'one', 'all'] as const) {
      const due = dueSlots({ ...base, lastSlot: 0, now: 60 * MIN + 500, catchUp });
      expect(due.fire).toEqual([60 * MIN]);
      expect(due.lastSlot).toBe(60 * MIN);
      expect(due.nextDue).toBe(120 * MIN);
    }
  });

  it('after three hours down: all fires three, one fires the newest, skip fires none', () => {
    const now = 3 * 60 * MIN + 30 * MIN;
    expect(dueSlots({ ...base, lastSlot: 0, now, catchUp: 'all' }).fire).toEqual([
      60 * MIN,
      120 * MIN,
      180 * MIN,
    ]);
    expect(dueSlots({ ...base, lastSlot: 0, now, catchUp: 'one' })).toMatchObject({
      fire: [180 * MIN],
      missed: 2,
      lastSlot: 180 * MIN,
    });
    expect(dueSlots({ ...base, lastSlot: 0, now, catchUp: 'skip' })).toMatchObject({
      fire: [],
      missed: 3,
      lastSlot: 180 * MIN,
      nextDue: 240 * MIN,
    });
  });

  it('waits for a slot’s jitter and then fires it', () => {
    const jitter = jitterOf('s', 60 * MIN, 10 * MIN);
    const input = { ...base, jitterMs: 10 * MIN, lastSlot: 0, catchUp: 'one' as const };
    expect(dueSlots({ ...input, now: 60 * MIN + jitter - 1 }).fire).toEqual([]);
    expect(dueSlots({ ...input, now: 60 * MIN + jitter }).fire).toEqual([60 * MIN]);
  });

  it('caps catch-up all per evaluation and continues from the cursor', () => {
    const first = dueSlots({ ...base, lastSlot: 0, now: 500 * 60 * MIN, catchUp: 'all', maxPerTick: 100 });
    expect(first.fire).toHaveLength(100);
    const second = dueSlots({
      ...base,
      lastSlot: first.lastSlot,
      now: 500 * 60 * MIN,
      catchUp: 'all',
      maxPerTick: 1000,
    });
    expect(second.fire).toHaveLength(400);
    expect(second.fire[0]).toBe(101 * 60 * MIN);
  });
});
