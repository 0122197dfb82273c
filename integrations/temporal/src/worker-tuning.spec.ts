import { describe, expect, it } from 'vitest';
import { activityPollers } from './worker-tuning.js';

describe('activityPollers', () => {
  it('leaves slots free for eager dispatch, and always polls', () => {
    expect(activityPollers(1)).toBe(1);
    expect(activityPollers(2)).toBe(1);
    expect(activityPollers(4)).toBe(2);
    expect(activityPollers(9)).toBe(4);
    for (const concurrency of [2, 3, 4, 8, 100])
      expect(activityPollers(concurrency)).toBeLessThan(concurrency);
  });
});
