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
  /**
   * Fail the step when its body reads a file that is not a declared source (seen where steps run in
   * their own process: process isolation, Docker, Temporal). Without it such a read is a warning.
   * `STRATA_CACHE_STRICT=1` turns it on for every step.
   */
  readonly strict?: boolean;
}

/** Free-form per-flavor settings, e.g. `{ docker: { memory: '512m' }, temporal: { taskQueue: 'gpu' } }`. */
export type StepSettings = Readonly<Record<string, Readonly<Record<string, unknown>>>>;
