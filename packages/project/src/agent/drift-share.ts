import { liveDrift, type ServingWindowRecord } from '@strata/core/plugin';

/** Share of input features that drifted from the version's training statistics, over the windows. */
export function driftShare(windows: readonly ServingWindowRecord[]): { share: number | null; n: number } {
  const drift = liveDrift(windows);
  return { share: drift.share, n: drift.n };
}
