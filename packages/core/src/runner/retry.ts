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
 * Races the step against its timeout; the abort signal lets well-behaved steps stop their work. With
 * `watch`, code that never yields is stopped too (blocked-loop-watchdog.ts): the watch lasts until the
 * body settles, not until the timeout, since a timed-out body may still block the loop afterwards.
 */
export async function withTimeout<T>(
  timeoutMs: number | undefined,
  parent: AbortSignal | undefined,
  work: (signal: AbortSignal) => Promise<T>,
  watch?: Omit<WatchedStep, 'timeoutMs'>,
): Promise<T> {
  const controller = new AbortController();
  const onParentAbort = () => controller.abort(parent?.reason);
  parent?.addEventListener('abort', onParentAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      if (timeoutMs === undefined) return;
      timer = setTimeout(() => {
        const error = new StepTimeoutError(timeoutMs);
        controller.abort(error);
        reject(error);
      }, timeoutMs);
    });
    const aborted = new Promise<never>((_, reject) => {
      controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
    });
    // Handled even when the race below never starts (the watchdog stopped a body that never returned).
    timeout.catch(() => undefined);
    aborted.catch(() => undefined);
    const release = timeoutMs === undefined || !watch ? undefined : watchBlockedLoop({ ...watch, timeoutMs });
    let body: Promise<T>;
    try {
      body = work(controller.signal);
    } catch (error) {
      release?.();
      throw error;
    }
    if (release) body.then(release, release);
    return await Promise.race([body, timeout, aborted]);
  } finally {
    clearTimeout(timer);
    parent?.removeEventListener('abort', onParentAbort);
  }
}
