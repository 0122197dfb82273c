import { pipeline, type RunHandle, step, t } from '@strata/core';
import type { Orchestrator } from '@strata/core/plugin';
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

  it('says once, on stderr, why a run its orchestrator runs elsewhere is not moving', async () => {
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    let release = () => {};
    const held = step({
      name: 'held',
      outputs: { x: t.number() },
      run: () => new Promise<{ x: number }>((resolve) => (release = () => resolve({ x: 1 }))),
    });
    const stalled = vi.fn(
      async (_runId: string, _stackName: string): Promise<string | undefined> =>
        'no worker polls task queue "q"',
    );
    const orchestrator: { stalled?: Orchestrator['stalled'] } = temp.stack.orchestrator;
    orchestrator.stalled = stalled;
    try {
      const handle = await pipeline({ name: 'progress_stalled', body: () => void held() }).run({
        stack: temp.stack,
      });
      const watching = watchRun(temp.stack, handle, { pollMs: 10, stallAfterMs: 0 });
      await vi.waitFor(() => expect(stalled).toHaveBeenCalled());
      release();
      expect((await watching).status).toBe('completed');
      expect(stalled).toHaveBeenCalledWith(handle.id, temp.stack.name);
      const said = err.mock.calls.map(([chunk]) => String(chunk)).join('');
      expect(said.match(/ {2}waiting: no worker polls task queue "q"\n/g)).toHaveLength(1);
    } finally {
      delete orchestrator.stalled;
      out.mockRestore();
      err.mockRestore();
    }
  });

  // Steps with two outputs declared out of name order, an output too large to preview, a mapped step
  // (its parent row is not in the runner's memory: read from the store) and one downstream.
  const pair = step({
    name: 'pair',
    outputs: { zeta: t.number(), alpha: t.string(), big: t.string() },
    run: () => ({ zeta: 3, alpha: 'a', big: 'x'.repeat(200) }),
  });
  const items = step({ name: 'items', outputs: { list: t.json<number[]>() }, run: () => ({ list: [1, 2] }) });
  const twice = step({
    name: 'twice',
    inputs: { n: t.number() },
    outputs: { y: t.number() },
    run: ({ n }) => ({ y: 2 * n }),
  });
  const after = step({
    name: 'after',
    inputs: { z: t.number() },
    outputs: { w: t.number() },
    run: ({ z }) => ({ w: z + 1 }),
  });
  const mixed = pipeline({
    name: 'progress_mixed',
    body: () => {
      const { zeta } = pair();
      after({ z: zeta });
      const { list } = items();
      twice.map('n', { n: list });
    },
  });

  /** The step lines `watchRun` prints (not the header and end lines, which name the run) and the ids read. */
  const watched = async (inMemory: boolean) => {
    const stack = await createMemoryStack();
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const reads = vi.spyOn(stack.stack.database, 'outputEventsOf');
    try {
      const handle: RunHandle = await mixed.run({ stack: stack.stack });
      if (!inMemory) vi.spyOn(handle, 'outputsInMemory').mockReturnValue(undefined);
      const run = await watchRun(stack.stack, handle, { pollMs: 60_000 });
      expect(run.status).toBe('completed');
      const text = out.mock.calls.map(([chunk]) => String(chunk)).join('');
      return {
        lines: text.split('\n').filter((l) => l.startsWith('  ')),
        read: reads.mock.calls.flatMap(([ids]) => ids.map((id) => id.slice(id.lastIndexOf('/') + 1))),
      };
    } finally {
      out.mockRestore();
      await stack.cleanup();
    }
  };

  it("prints an in-process run's outputs from the runner's memory: the same lines, no store read for those steps", async () => {
    const fromStore = await watched(false);
    const fromMemory = await watched(true);
    expect(fromStore.lines).toHaveLength(4);
    expect(fromStore.lines.join('\n')).toMatch(/pair .*alpha=a; zeta=3/);
    expect(fromStore.lines.join('\n')).toMatch(/twice .*y: 2 values/);
    expect(fromMemory.lines).toEqual(fromStore.lines);
    // The mapped step's parent row too: its collection remembers the lists it recorded.
    expect(fromStore.read.sort()).toEqual(['after', 'items', 'pair', 'twice']);
    expect(fromMemory.read).toEqual([]);
  });
});
