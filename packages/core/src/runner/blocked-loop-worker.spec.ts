import { describe, expect, it } from 'vitest';
import { WATCHDOG_SOURCE } from './blocked-loop-worker.js';

describe('the watchdog thread source', () => {
  it('has no dynamic-import call in its text (the package bundler rewrites those to a helper the thread lacks)', () => {
    // scripts/bundle-packages.mjs's and the compile cache's pattern: a Temporal worker's recorder was
    // never loaded, so the watchdog thread died at start and a spinning step was never stopped.
    expect(WATCHDOG_SOURCE).not.toMatch(/(?<![\w$.'"`])import\s*\(/);
  });
});
