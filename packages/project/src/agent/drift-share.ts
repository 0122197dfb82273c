import type { ServingWindowRecord, Stack } from '@strata/core';

/**
 * Share of features whose live distribution drifted from the version's training statistics. The model
 * server writes input sketches into `inputs` windows; a version registered without training statistics
 * has no baseline (share null, nothing fires).
 */
export async function driftShare(
  _stack: Stack,
  _model: string,
  _version: number,
  windows: readonly ServingWindowRecord[],
): Promise<{ share: number | null; n: number }> {
  const inputs = windows.filter((w) => w.kind === 'inputs');
  const n = inputs.reduce((sum, w) => sum + w.count, 0);
  const drift = inputs.at(-1)?.stats as { driftShare?: number } | null | undefined;
  return { share: typeof drift?.driftShare === 'number' ? drift.driftShare : null, n };
}
