import type { StepAttempt } from '../schemas/attempts.js';
import type { LogLine, StepRun } from '../schemas/steps.js';

// Written by core's attempt loop for every attempt a retry follows (runner/attempt-loop.ts).
const RETRY_LINE = /^attempt (\d+)\/\d+ failed(?: after (\d+) ms)?: ([\s\S]*); retrying in (\d+) ms$/;

/**
 * A step's attempts, oldest first. The step row keeps only the last attempt (its status, times and
 * error); every earlier one left a warning line in the step's log when it failed, with its duration,
 * error and the wait before the next. A line written before durations were logged gives no start.
 */
export function attemptsOf(step: StepRun, logs: readonly LogLine[]): StepAttempt[] {
  const earlier: StepAttempt[] = [];
  for (const line of logs) {
    if (line.level !== 'warn') continue;
    const m = RETRY_LINE.exec(line.message);
    if (!m) continue;
    const duration = m[2] === undefined ? undefined : Number(m[2]);
    earlier.push({
      attempt: Number(m[1]),
      status: 'failed',
      startedAt: duration === undefined ? null : line.at - duration,
      endedAt: line.at,
      error: m[3] ?? null,
      retryDelayMs: Number(m[4]),
    });
  }
  if (step.attempt === 0) return earlier; // never started (pending, cached, skipped)
  const last: StepAttempt = {
    attempt: step.attempt,
    status: step.status,
    startedAt: step.startedAt,
    endedAt: step.endedAt,
    error: step.error,
    retryDelayMs: null,
  };
  return [...earlier.filter((a) => a.attempt < step.attempt), last];
}
