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

const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describe('watchRun', () => {
  it('leaves no poll timer behind once the run is over (it kept `strata run` alive for a poll interval)', async () => {
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const before = timers();
      const handle = await tiny.run({ stack: temp.stack });
      const run = await watchRun(temp.stack, handle, { pollMs: 60_000 });
      expect(run.status).toBe('completed');
      expect(out.mock.calls.map(([chunk]) => String(chunk)).join('')).toMatch(/completed\s+one/);
      expect(timers()).toBe(before);
    } finally {
      out.mockRestore();
    }
  });
});
