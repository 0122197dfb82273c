export interface RetryPolicy {
  /** Total attempts including the first (1 = no retry). */
  readonly attempts: number;
  readonly delayMs?: number;
  /** Multiplier applied to the delay after each failed attempt. */
  readonly backoff?: number;
  readonly maxDelayMs?: number;
}

export interface CachePolicy {
  readonly enabled?: boolean;
  /** A cached result older than this is not reused. */
  readonly ttlSeconds?: number;
}

/** Free-form per-flavor settings, e.g. `{ docker: { memory: '512m' }, temporal: { taskQueue: 'gpu' } }`. */
export type StepSettings = Readonly<Record<string, Readonly<Record<string, unknown>>>>;
