/** Pure arithmetic of the peer benchmark: medians, per-step figures and Strata's ratio to each peer. */

export type Framework = 'strata' | 'zenml' | 'metaflow';
export const FRAMEWORKS: readonly Framework[] = ['strata', 'zenml', 'metaflow'];

/** One timed process: wall time, and CPU time (user + sys of it and the children it waited for). */
export interface Sample {
  readonly wallMs: number;
  readonly cpuMs: number;
  /** 1-minute load average just before the process started. */
  readonly load: number;
}

export interface Summary {
  readonly runs: number;
  readonly wallMs: number;
  readonly cpuMs: number;
  /** Median wall time / steps, when the case has steps. */
  readonly wallMsPerStep: number | null;
  readonly cpuMsPerStep: number | null;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function summarize(samples: readonly Sample[], steps: number | null): Summary {
  const wallMs = median(samples.map((s) => s.wallMs));
  const cpuMs = median(samples.map((s) => s.cpuMs));
  return {
    runs: samples.length,
    wallMs,
    cpuMs,
    wallMsPerStep: steps === null ? null : wallMs / steps,
    cpuMsPerStep: steps === null ? null : cpuMs / steps,
  };
}

/**
 * How many times less Strata spends than the peer (peer / Strata): 12 means Strata is 12x faster,
 * 0.5 means it takes twice as long. Per step when both sides have steps (the step counts differ
 * slightly: Metaflow needs an `end` step), else per run.
 */
export function advantage(strata: Summary, peer: Summary, of: 'wall' | 'cpu'): number {
  const pick = (s: Summary) => (of === 'wall' ? (s.wallMsPerStep ?? s.wallMs) : (s.cpuMsPerStep ?? s.cpuMs));
  return pick(peer) / pick(strata);
}

/**
 * Issue 9's per-step overhead targets ("Strata's per-step overhead at least N x lower than the peer's"),
 * judged on the marginal cost of one more step (the slope of run time over steps, the fixed start-up
 * cost of a run left out), and reported end to end (run time / steps) beside it.
 */
export const PER_STEP_TARGETS = { zenml: 100, metaflow: 20 } as const;

/** Pass/fail of a target "Strata at least `times` x lower than the peer". */
export function meets(ratio: number, times: number): boolean {
  return ratio >= times;
}

/**
 * The cost of one more step, without the fixed cost of a run (process start, imports, set-up):
 * the difference between a long and a short run of the same framework, per extra step.
 */
export function marginalPerStep(
  short: { ms: number; steps: number },
  long: { ms: number; steps: number },
): number {
  if (long.steps <= short.steps) throw new Error('the long run needs more steps than the short one');
  return (long.ms - short.ms) / (long.steps - short.steps);
}
