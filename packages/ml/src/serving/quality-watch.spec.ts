import { describe, expect, it } from 'vitest';
import { QualityWatch } from './quality-watch.js';

describe('QualityWatch', () => {
  it('scores feedback per version and flags a version live-worse than the previous by the margin', () => {
    const watch = new QualityWatch('classification', { margin: 0.1, minLabelled: 4, capacity: 100 });
    for (let i = 0; i < 4; i++) {
      watch.remember(`a${i}`, 1, 'x');
      watch.feedback(`a${i}`, 'x');
    }
    for (let i = 0; i < 3; i++) {
      watch.remember(`b${i}`, 2, 'x');
      watch.feedback(`b${i}`, 'y');
    }
    expect(watch.judge(2, 1)).toMatchObject({ degraded: false, reason: 'v2 has 3 labelled predictions' });
    watch.remember('b3', 2, 'x');
    expect(watch.feedback('b3', 'y')).toBe(2);
    expect(watch.feedback('b3', 'y')).toBeUndefined();
    const verdict = watch.judge(2, 1);
    expect(verdict.degraded).toBe(true);
    expect(verdict.reason).toMatch(/live accuracy of v2 is 0 over 4 labelled predictions, v1 had 1/);
  });

  it('uses mean absolute error for regression and the offline metric when the previous version had no feedback', () => {
    const watch = new QualityWatch('regression', { margin: 0.5, minLabelled: 2, capacity: 100 });
    watch.remember('p', 2, 10);
    watch.remember('q', 2, 20);
    watch.feedback('p', 11);
    watch.feedback('q', 19);
    expect(watch.live(2)).toEqual({ name: 'mae', value: 1, labelled: 2 });
    expect(watch.judge(2, 1, 0.8).degraded).toBe(false);
    expect(watch.judge(2, 1, 0.4).degraded).toBe(true);
  });

  it('forgets the oldest predictions beyond its capacity', () => {
    const watch = new QualityWatch('classification', { margin: 0, minLabelled: 1, capacity: 2 });
    for (const id of ['a', 'b', 'c']) watch.remember(id, 1, 'x');
    expect(watch.feedback('a', 'x')).toBeUndefined();
    expect(watch.feedback('c', 'x')).toBe(1);
  });
});
