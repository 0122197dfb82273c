import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { threadCount } from './threads.js';

describe('threadCount', () => {
  const cores = Math.max(1, availableParallelism());

  it("is the machine's cores unless STRATA_ML_THREADS caps it", () => {
    expect(threadCount({})).toBe(cores);
    expect(threadCount({ STRATA_ML_THREADS: '' })).toBe(cores);
    expect(threadCount({ STRATA_ML_THREADS: '1' })).toBe(1);
    expect(threadCount({ STRATA_ML_THREADS: String(cores + 5) })).toBe(cores);
  });

  it('refuses a value that is not a whole number from 1, naming it and the fix', () => {
    for (const bad of ['abc', '0', '-2', '1.5']) {
      expect(() => threadCount({ STRATA_ML_THREADS: bad })).toThrow(
        `STRATA_ML_THREADS is "${bad}": it must be a whole number of threads, at least 1; fix: unset it`,
      );
    }
  });
});
