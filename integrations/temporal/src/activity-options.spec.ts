import { describe, expect, it } from 'vitest';
import { stepActivityOptions } from './activity-options.js';
import type { PlanNode, RunSettings } from './plan.js';

const settings: RunSettings = {
  taskQueue: 'strata',
  stepTimeoutMs: 3_600_000,
  heartbeatTimeoutMs: 30_000,
  activityAttempts: 3,
  batchSize: 50,
  maxConcurrentBatches: 20,
  continueAsNewAfterEvents: 10_000,
};

describe('stepActivityOptions', () => {
  it('maps retry, timeout, heartbeat and a per-step task queue to activity options', () => {
    const node: PlanNode = {
      id: 'train',
      deps: [],
      mapped: false,
      retry: { attempts: 5, delayMs: 2000, backoff: 3, maxDelayMs: 10_000 },
      timeoutMs: 60_000,
      taskQueue: 'gpu',
    };
    const options = stepActivityOptions(node, settings);
    expect(options.taskQueue).toBe('gpu');
    expect(options.heartbeatTimeout).toBe(30_000);
    expect(options.retry).toEqual({
      maximumAttempts: 5,
      initialInterval: 2000,
      backoffCoefficient: 3,
      maximumInterval: 10_000,
    });
    // five attempts of a minute, the delays between them (2 s, 6 s, 10 s, 10 s) and a minute for I/O
    expect(options.startToCloseTimeout).toBe(5 * 60_000 + 28_000 + 60_000);
  });

  it('uses the orchestrator defaults for a plain step, and scales the timeout by the batch size', () => {
    const node: PlanNode = { id: 'load', deps: [], mapped: false };
    const options = stepActivityOptions(node, settings);
    expect(options.taskQueue).toBe('strata');
    expect(options.retry?.maximumAttempts).toBe(3);
    expect(options.startToCloseTimeout).toBe(3_600_000);
    expect(stepActivityOptions(node, settings, 50).startToCloseTimeout).toBe(50 * 3_600_000);
  });
});
