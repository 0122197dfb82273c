import type { ActivityOptions, LocalActivityOptions } from '@temporalio/workflow';
import type { PlanNode, RunSettings } from './plan.js';

/** Slack on top of a step's own timeout, for loading its inputs and writing its outputs. */
const IO_SLACK_MS = 60_000;

/**
 * Maps a step's policies to activity options. The StepRunner retries a failing step body itself
 * (same process, logs per attempt); Temporal's retry covers what the StepRunner cannot: a worker that
 * dies or stops heartbeating, or stores that are briefly unreachable. Its attempts are the larger of
 * the step's attempts and `activityAttempts`, with the step's delay and backoff.
 */
export function stepActivityOptions(node: PlanNode, settings: RunSettings, instances = 1): ActivityOptions {
  const attempts = Math.max(1, node.retry?.attempts ?? 1);
  const perInstance =
    node.timeoutMs === undefined
      ? settings.stepTimeoutMs
      : node.timeoutMs * attempts + totalDelay(node, attempts) + IO_SLACK_MS;
  return {
    taskQueue: node.taskQueue ?? settings.taskQueue,
    startToCloseTimeout: perInstance * instances,
    heartbeatTimeout: settings.heartbeatTimeoutMs,
    retry: {
      maximumAttempts: Math.max(attempts, settings.activityAttempts),
      initialInterval: Math.max(1000, node.retry?.delayMs ?? 1000),
      backoffCoefficient: Math.max(1, node.retry?.backoff ?? 2),
      ...(node.retry?.maxDelayMs === undefined
        ? {}
        : { maximumInterval: Math.max(1000, node.retry.maxDelayMs) }),
    },
  };
}

/**
 * Bookkeeping (plan, skip, fail, expand, collect, finish) runs as local activities: in the worker that
 * runs the workflow task, inside that task, recorded as a marker in the history. That saves an
 * activity task and the workflow task after it per call (about one step's worth each) and keeps the
 * same durability: a worker that dies mid-call fails the workflow task, and the next worker runs the
 * call again (every one is idempotent).
 */
export function bookkeepingOptions(): LocalActivityOptions {
  return {
    startToCloseTimeout: 10 * 60_000,
    retry: { maximumAttempts: 10, initialInterval: 500, backoffCoefficient: 2, maximumInterval: 30_000 },
  };
}

/**
 * Activities that stay remote: recording a scheduled run imports and compiles the user's module; and
 * the bookkeeping of runs started before it became local (their histories replay as they were).
 */
export function remoteBookkeepingOptions(settings: RunSettings): ActivityOptions {
  return { ...bookkeepingOptions(), taskQueue: settings.taskQueue };
}

function totalDelay(node: PlanNode, attempts: number): number {
  let total = 0;
  for (let i = 1; i < attempts; i++) {
    const delay = (node.retry?.delayMs ?? 0) * (node.retry?.backoff ?? 1) ** (i - 1);
    total += Math.min(delay, node.retry?.maxDelayMs ?? Number.POSITIVE_INFINITY);
  }
  return total;
}
