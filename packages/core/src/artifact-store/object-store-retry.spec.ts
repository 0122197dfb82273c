import { describe, expect, it } from 'vitest';
import { backoffDelay, isRetriableNetworkError, isRetriableStatus } from './object-store-retry.js';

describe('object-store retry rule', () => {
  it('draws each delay uniformly below the doubled, capped bound', () => {
    const backoff = { baseMs: 100, maxMs: 500 };
    expect(backoffDelay(1, backoff, () => 0.5)).toBe(50);
    expect(backoffDelay(3, backoff, () => 0.5)).toBe(200);
    expect(backoffDelay(10, backoff, () => 0.5)).toBe(250);
    expect(backoffDelay(2, backoff, () => 0)).toBe(0);
  });

  it('retries throttling, timeouts and transient 5xx only', () => {
    expect([408, 429, 500, 502, 503, 504].every(isRetriableStatus)).toBe(true);
    expect([200, 400, 401, 403, 404, 409, 412, 501].some(isRetriableStatus)).toBe(false);
    expect(isRetriableStatus(undefined)).toBe(false);
  });

  it('recognises dropped and timed-out connections', () => {
    expect(isRetriableNetworkError(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isRetriableNetworkError(new Error('socket hang up'))).toBe(true);
    expect(isRetriableNetworkError(new Error('connect ETIMEDOUT 127.0.0.1:1'))).toBe(true);
    expect(
      isRetriableNetworkError(Object.assign(new Error('denied'), { code: 'AuthorizationFailure' })),
    ).toBe(false);
    expect(isRetriableNetworkError(undefined)).toBe(false);
  });
});
