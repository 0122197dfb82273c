/**
 * The retry rule every object-store artifact store (s3, gcs, azure) follows, whether its SDK applies
 * it (S3's standard mode, GCS's retry options) or Strata does (Azure, whole GCS uploads): throttling,
 * 5xx, timeouts and dropped connections are retried up to `maxAttempts` tries with exponential backoff
 * and full jitter; everything else (4xx: credentials, permissions, missing bucket) fails at once.
 */

export interface Backoff {
  /** Upper bound of the first delay, doubled for every further attempt. */
  readonly baseMs: number;
  /** Upper bound of any delay. */
  readonly maxMs: number;
}

/** The backoff Strata's own retries use (the SDKs' defaults are of the same order). */
export const objectStoreBackoff: Backoff = { baseMs: 250, maxMs: 10_000 };

/**
 * Delay before retry number `attempt` (1 = the first retry): uniform in [0, min(maxMs, baseMs·2^(attempt-1))).
 * Full jitter spreads clients that failed together (a throttled bucket, a restarted server) so that
 * their retries do not arrive together again.
 */
export function backoffDelay(
  attempt: number,
  backoff: Backoff = objectStoreBackoff,
  random = Math.random,
): number {
  return random() * Math.min(backoff.maxMs, backoff.baseMs * 2 ** (attempt - 1));
}

const retriableStatuses = new Set([408, 429, 500, 502, 503, 504]);

/** 408 timeout, 429 throttling and the transient 5xx answers. */
export function isRetriableStatus(status: number | undefined): boolean {
  return status !== undefined && retriableStatuses.has(status);
}

const retriableNetworkCodes = [
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'REQUEST_SEND_ERROR',
  'UND_ERR_SOCKET',
];

/** A dropped, refused or timed-out connection (by the error's code, or its message as a fallback). */
export function isRetriableNetworkError(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | undefined;
  const code = typeof e?.code === 'string' ? e.code.toUpperCase() : '';
  const message = typeof e?.message === 'string' ? e.message.toUpperCase() : '';
  return (
    retriableNetworkCodes.some((c) => code === c || message.includes(c)) || /SOCKET HANG UP/.test(message)
  );
}
