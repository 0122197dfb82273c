import { pipeline, step, t } from '@strata/core';
import { createMemoryStack, type MemoryStack } from '@strata/core/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { watchRun } from './progress.js';

let temp: MemoryStack;
beforeAll(async () => {
  temp = await createMemoryStack();
});
afterAll(() => temp.cleanup());

const one = step({ name: 'one', outputs: { x: t.number() }, run: () => ({ x: 1 }) });
const tiny = pipeline({ name: 'progress_tiny', body: () => void one() });

describe('watchRun', () => {
  it('leaves no poll timer behind once the run is over (it kept `strata run` alive for a poll interval)', async () => {
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    // The poll timers (60 s here, so none fires during the test) and the timers cleared.
    const polls: unknown[] = [];
    const realSetTimeout = globalThis.setTimeout;
    const set = vi.spyOn(globalThis, 'setTimeout').mockImplementation(((fn: () => void, ms?: number) => {
      const timer = realSetTimeout(fn, ms);
      if (ms === 60_000) polls.push(timer);
      return timer;
    }) as typeof setTimeout);
    const cleared = vi.spyOn(globalThis, 'clearTimeout');
    try {
      const handle = await tiny.run({ stack: temp.stack });
      const run = await watchRun(temp.stack, handle, { pollMs: 60_000 });
      expect(run.status).toBe('completed');
      expect(out.mock.calls.map(([chunk]) => String(chunk)).join('')).toMatch(/completed\s+one/);
      expect(polls.length).toBeGreaterThan(0);
      const clearedTimers = new Set(cleared.mock.calls.map(([timer]) => timer));
      expect(polls.filter((timer) => !clearedTimers.has(timer as NodeJS.Timeout))).toEqual([]);
    } finally {
      out.mockRestore();
      set.mockRestore();
      cleared.mockRestore();
    }
  });
});
