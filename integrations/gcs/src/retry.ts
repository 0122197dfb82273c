import { setTimeout as sleep } from 'node:timers/promises';
import { StrataError } from '@strata/core';
import { type Backoff, backoffDelay, objectStoreBackoff } from '@strata/core/plugin';

const permanent = new Set([
  'bucket_not_found',
  'bad_credentials',
  'permission_denied',
  'invalid_key',
  'not_found',
]);

/**
 * Re-runs a whole replayable operation (an upload from a spooled file) on a transient failure, with
 * exponential backoff and full jitter (core's backoffDelay, as for Azure). Needed on top of the SDK's per-request retries because a
 * resumable session can become unusable (the server lost its offset); a new session then succeeds.
 */
export async function withRetry<T>(
  attempts: number,
  operation: () => Promise<T>,
  backoff: Backoff = objectStoreBackoff,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (attempt >= attempts || (error instanceof StrataError && permanent.has(error.code))) throw error;
      await sleep(backoffDelay(attempt, backoff));
    }
  }
}
