import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { raceBody, retryDelay, StepTimeoutError, sleep } from './retry.js';

/** raceBody as a caller that always reads the signal sees it (the shape the runner used before raceBody). */
const withTimeout = <T>(
  timeoutMs: number | undefined,
  parent: AbortSignal | undefined,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> => Promise.resolve(raceBody(timeoutMs, parent, (body) => work(body.signal)));

describe('retryDelay', () => {
  it('grows the delay by the backoff factor per failed attempt, capped by maxDelayMs', () => {
    const policy = { attempts: 5, delayMs: 100, backoff: 2, maxDelayMs: 500 };
    expect([1, 2, 3, 4].map((a) => retryDelay(policy, a))).toEqual([100, 200, 400, 500]);
  });
  it('defaults to a constant delay, and no delay without a policy', () => {
    expect(retryDelay({ attempts: 3, delayMs: 50 }, 3)).toBe(50);
    expect(retryDelay(undefined, 1)).toBe(0);
  });
});

describe('raceBody with a body that reads its signal', () => {
  it('returns the work result when it finishes in time', async () => {
    expect(await withTimeout(1000, undefined, async () => 42)).toBe(42);
    expect(await withTimeout(undefined, undefined, async () => 'no limit')).toBe('no limit');
  });

  it('rejects with StepTimeoutError and aborts the signal the work received', async () => {
    let seen: AbortSignal | undefined;
    const error = await withTimeout(20, undefined, (signal) => {
      seen = signal;
      return new Promise(() => {});
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StepTimeoutError);
    expect((error as StepTimeoutError).message).toBe('step timed out after 20 ms');
    expect(seen?.aborted).toBe(true);
  });

  it('forwards a parent abort (cancellation) to the work', async () => {
    const parent = new AbortController();
    const pending = withTimeout(undefined, parent.signal, () => new Promise(() => {}));
    parent.abort(new Error('run cancelled'));
    await expect(pending).rejects.toThrow('run cancelled');
  });
});

describe('raceBody', () => {
  it('hands back the plain value a body returns, as it is (no promise, no race)', () => {
    expect(raceBody(1000, new AbortController().signal, () => 7)).toBe(7);
  });

  it('a signal first read after the timeout is born aborted with the StepTimeoutError', async () => {
    let later!: () => AbortSignal;
    const error = await Promise.resolve(
      raceBody(20, undefined, (body) => {
        later = () => body.signal;
        return new Promise(() => {});
      }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StepTimeoutError);
    expect(later().aborted).toBe(true);
    expect(later().reason).toBe(error);
  });

  it('stops every body running under one parent signal when it aborts, each with its reason', async () => {
    const parent = new AbortController();
    const signals: AbortSignal[] = [];
    const pending = [1, 2, 3].map(() =>
      Promise.resolve(
        raceBody(undefined, parent.signal, (body) => {
          signals.push(body.signal);
          return new Promise(() => {});
        }),
      ).catch((e: unknown) => e),
    );
    const finished = await raceBody(undefined, parent.signal, async () => 'done');
    expect(finished).toBe('done');
    const reason = new Error('run cancelled');
    parent.abort(reason);
    expect(await Promise.all(pending)).toEqual([reason, reason, reason]);
    expect(signals.every((s) => s.aborted && s.reason === reason)).toBe(true);
  });
});

describe('raceBody and memory', () => {
  it("lets a finished body's result be collected while the run's signal lives on", async () => {
    // The first body raced under a parent signal once stayed reachable from the parent's abort
    // listener for the whole run: at 10M rows, ingest's two tables (half a gigabyte) until the end.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const run = new AbortController();
    const refs: WeakRef<object>[] = [];
    // In a function of its own, so this test's frame holds no result.
    const raceOne = async () => {
      const result = await raceBody(undefined, run.signal, async () => {
        const value = { rows: new Float64Array(1024) };
        refs.push(new WeakRef(value));
        return value;
      });
      expect(result.rows).toHaveLength(1024);
    };
    for (let i = 0; i < 3; i++) await raceOne();
    // WeakRefs hold their target until the current job ends: collect from a later macrotask.
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    expect(refs.map((r) => r.deref() === undefined)).toEqual([true, true, true]);
    expect(run.signal.aborted).toBe(false);
  });
});

describe('sleep', () => {
  it('rejects at once when the signal aborts', async () => {
    const controller = new AbortController();
    const pending = sleep(60_000, controller.signal);
    controller.abort(new Error('stop'));
    await expect(pending).rejects.toThrow('stop');
  });
});
