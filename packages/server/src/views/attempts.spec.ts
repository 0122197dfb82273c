import { describe, expect, it } from 'vitest';
import type { LogLine, StepRun } from '../schemas/steps.js';
import { attemptsOf } from './attempts.js';

const step = (patch: Partial<StepRun>): StepRun => ({
  id: 'r-1/fetch',
  runId: 'r-1',
  nodeId: 'fetch',
  stepName: 'fetch',
  mapIndex: -1,
  status: 'completed',
  cacheKey: null,
  cacheParts: null,
  cacheReason: null,
  cachedFrom: null,
  attempt: 1,
  startedAt: 1000,
  endedAt: 1500,
  error: null,
  errorStack: null,
  ...patch,
});

const line = (at: number, message: string, level: LogLine['level'] = 'warn'): LogLine => ({
  stepRunId: 'r-1/fetch',
  seq: at,
  at,
  level,
  message,
});

describe('attemptsOf', () => {
  it('rebuilds earlier attempts from the retry lines and takes the last from the row', () => {
    const logs = [
      line(1100, 'fetching', 'info'),
      line(1200, 'attempt 1/3 failed after 200 ms: ECONNRESET; retrying in 50 ms'),
      line(1450, 'attempt 2/3 failed after 200 ms: HTTP 503: try later; retrying in 100 ms'),
    ];
    const attempts = attemptsOf(step({ attempt: 3, startedAt: 1550, endedAt: 1700 }), logs);
    expect(attempts).toEqual([
      { attempt: 1, status: 'failed', startedAt: 1000, endedAt: 1200, error: 'ECONNRESET', retryDelayMs: 50 },
      {
        attempt: 2,
        status: 'failed',
        startedAt: 1250,
        endedAt: 1450,
        error: 'HTTP 503: try later',
        retryDelayMs: 100,
      },
      { attempt: 3, status: 'completed', startedAt: 1550, endedAt: 1700, error: null, retryDelayMs: null },
    ]);
  });

  it('keeps a line without a duration (older runs) with an unknown start', () => {
    const attempts = attemptsOf(step({ attempt: 2, status: 'failed', error: 'boom' }), [
      line(900, 'attempt 1/2 failed: boom; retrying in 10 ms'),
    ]);
    expect(attempts[0]).toMatchObject({ attempt: 1, startedAt: null, endedAt: 900 });
    expect(attempts[1]).toMatchObject({ attempt: 2, status: 'failed', error: 'boom' });
  });

  it('has no attempt for a step that never ran', () => {
    expect(attemptsOf(step({ attempt: 0, status: 'cached', startedAt: null, endedAt: null }), [])).toEqual(
      [],
    );
  });

  it('ignores user warnings that only look similar', () => {
    const logs = [line(1100, 'attempt to connect failed'), line(1200, 'attempt 1/2 failed: x', 'info')];
    expect(attemptsOf(step({}), logs)).toHaveLength(1);
  });
});
