import type { RetryPolicy } from '../step/step-options.js';
import { type WatchedStep, watchBlockedLoop } from './blocked-loop-watchdog.js';

export function retryDelay(policy: RetryPolicy | undefined, failedAttempt: number): number {
  const base = policy?.delayMs ?? 0;
  const delay = base * (policy?.backoff ?? 1) ** (failedAttempt - 1);
  return Math.min(delay, policy?.maxDelayMs ?? Number.POSITIVE_INFINITY);
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

export class StepTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`step timed out after ${timeoutMs} ms`);
    this.name = 'StepTimeoutError';
  }
}

/**
 * Races a step body against its timeout and the run's abort, without per-step garbage: `work` receives the body's abort signal
 * behind a getter (LazySignal), and the signal (an AbortController) is only made if the body asks for it: most bodies
 * never do, and a controller with its listeners was the largest part of a trivial step's own cost. A
 * body that returns a plain value (not a promise) is done at once: no race, no promises. The parent's
 * abort reaches the running bodies through one listener per parent signal (abortWaiters), not one
 * listener per step. What a body sees is unchanged: its signal aborts on the timeout (with the
 * StepTimeoutError) or on the parent's abort (with its reason), and the race rejects with that reason
 * even when the body ignores its signal. With `watch`, code that never yields is stopped too
 * (blocked-loop-watchdog.ts): the watch lasts until the body settles, not until the timeout, since a
 * timed-out body may still block the loop afterwards.
 */
export function raceBody<T>(
  timeoutMs: number | undefined,
  parent: AbortSignal | undefined,
  work: (body: LazySignal) => T | PromiseLike<T>,
  watch?: Omit<WatchedStep, 'timeoutMs'>,
): T | Promise<T> {
  const body = new BodySignal();
  const release = timeoutMs === undefined || !watch ? undefined : watchBlockedLoop({ ...watch, timeoutMs });
  let result: T | PromiseLike<T>;
  try {
    result = work(body);
  } catch (error) {
    release?.();
    throw error;
  }
  if (!isThenable(result)) {
    release?.();
    return result;
  }
  const pending = Promise.resolve(result);
  if (release) pending.then(release, release);
  return new Promise<T>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const stop = (reason: unknown) => {
      body.abort(reason);
      reject(reason);
    };
    // A parent that is already aborted dispatched its event before this body started: as with a
    // listener added now, the body is not stopped for it (it was started on purpose).
    const forget = parent && !parent.aborted ? abortWaiters(parent, stop) : undefined;
    if (timeoutMs !== undefined) timer = setTimeout(() => stop(new StepTimeoutError(timeoutMs)), timeoutMs);
    const done = () => {
      clearTimeout(timer);
      forget?.();
    };
    pending.then(
      (value) => {
        done();
        resolve(value);
      },
      (error: unknown) => {
        done();
        reject(error);
      },
    );
  });
}

function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/** An abort signal made when first read. */
export interface LazySignal {
  readonly signal: AbortSignal;
}

/** A body's abort signal, made on first use; an abort before that makes it born aborted. */
class BodySignal implements LazySignal {
  #controller: AbortController | undefined;
  #aborted: { reason: unknown } | undefined;

  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#aborted.reason);
    }
    return this.#controller.signal;
  }

  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = { reason };
    this.#controller?.abort(reason);
  }
}

/** Per parent signal: what its abort must stop (the bodies running under it). */
const waiting = new WeakMap<AbortSignal, Set<(reason: unknown) => void>>();

/** Calls `stop` with the parent's reason when it aborts; returns the function that forgets it. */
function abortWaiters(parent: AbortSignal, stop: (reason: unknown) => void): () => void {
  const stops = waiting.get(parent) ?? listenForAbort(parent);
  stops.add(stop);
  return () => stops.delete(stop);
}

/**
 * The parent's one abort listener, made in a function of its own: a closure holds its whole scope,
 * so a listener made beside the first body's `stop` kept that body (and the value it returned, such
 * as ingest's tables) reachable from the run's signal until the run ended.
 */
function listenForAbort(parent: AbortSignal): Set<(reason: unknown) => void> {
  const set = new Set<(reason: unknown) => void>();
  parent.addEventListener(
    'abort',
    () => {
      for (const s of [...set]) s(parent.reason);
      set.clear();
    },
    { once: true },
  );
  waiting.set(parent, set);
  return set;
}
