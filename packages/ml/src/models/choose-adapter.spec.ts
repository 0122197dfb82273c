import { describe, expect, it } from 'vitest';
import { AUTO_FOREST_MAX_ROWS, chooseAdapter, SLOW_FOREST_ROWS } from './choose-adapter.js';

describe('chooseAdapter', () => {
  it('auto picks the forest for small tables and the booster above the bound', () => {
    expect(chooseAdapter('auto', 342).adapter).toBe('random-forest');
    // A 20,000-row CSV (16,000 training rows) ran the forest for more than 10 minutes: the booster now.
    expect(chooseAdapter('auto', 16_000).adapter).toBe('gradient-boosting');
    expect(chooseAdapter('auto', AUTO_FOREST_MAX_ROWS).adapter).toBe('random-forest');
    const big = chooseAdapter('auto', AUTO_FOREST_MAX_ROWS + 1);
    expect(big.adapter).toBe('gradient-boosting');
    expect(big.note).toContain('2,001 training rows');
  });

  it('keeps an adapter asked for by name, warning about a forest on a large table', () => {
    expect(chooseAdapter('logistic-regression', 10_000_000)).toEqual({ adapter: 'logistic-regression' });
    expect(chooseAdapter('random-forest', SLOW_FOREST_ROWS)).toEqual({ adapter: 'random-forest' });
    const slow = chooseAdapter('random-forest', 700_000);
    expect(slow.adapter).toBe('random-forest');
    expect(slow.note).toMatch(/slow.*fix: use the adapter gradient-boosting/);
  });
});
