import { describe, expect, it } from 'vitest';
import { builtOnce } from './built-once.js';

describe('builtOnce', () => {
  it('builds on the first call only, and keeps a falsy result', () => {
    let builds = 0;
    const get = builtOnce(() => {
      builds++;
      return builds > 1 ? 'again' : undefined;
    });
    expect(builds).toBe(0);
    expect(get()).toBeUndefined();
    expect(get()).toBeUndefined();
    expect(builds).toBe(1);
  });
});
