import type { Stack } from '@strata/core';
import type { AliasChange, ServingWindowRecord, TriggerRecord } from '@strata/core/plugin';
import { describe, expect, it } from 'vitest';
import { evaluateModelHealth } from './evaluate-model-health.js';
import type { EvaluationContext } from './evaluation.js';

const HOUR = 3_600_000;

/** v2 was promoted, then rolled back to v1 after 30 wrong answers; the evaluator reads only these three. */
function servingStack(rolledBackAt: number) {
  const history: AliasChange[] = [
    {
      model: 'penguins',
      alias: 'production',
      version: 1,
      previousVersion: 2,
      action: 'rollback',
      reason: 'live accuracy',
      actor: 'serve',
      at: rolledBackAt,
    },
  ];
  const windows: ServingWindowRecord[] = [
    {
      model: 'penguins',
      version: 2,
      windowStart: rolledBackAt - 1000,
      kind: 'feedback',
      count: 30,
      stats: { n: 30, correct: 0, absError: 0 },
      updatedAt: rolledBackAt,
    },
  ];
  const database = {
    getAlias: async () => 1,
    aliasHistory: async () => history,
    servingWindows: async ({ version, since }: { version: number; since: number }) =>
      windows.filter((w) => w.version === version && w.windowStart >= since),
  };
  return { database } as unknown as Stack;
}

const trigger = (cursor: TriggerRecord['cursor']): TriggerRecord => ({
  name: 'degraded',
  kind: 'model_health',
  target: { module: 'p.ts', pipeline: 'retrain', params: {} },
  condition: {
    kind: 'model_health',
    model: 'penguins@production',
    metric: 'accuracy',
    threshold: 0.8,
    windowMs: HOUR,
    minCount: 20,
  },
  overlap: 'skip',
  paused: false,
  firedBy: 'agent',
  cursor,
  createdAt: 0,
  updatedAt: 0,
});

const context = (stack: Stack, now: number): EvaluationContext => ({
  stack,
  now,
  graceMs: 0,
  memo: new Map(),
});

describe('evaluateModelHealth', () => {
  // The hour edge is where the old, period-aligned key fired a second time for one degradation.
  const edge = 20 * HOUR;
  const stack = servingStack(edge - 5000);

  it('fires once for a degraded version, also across a clock-hour edge, and again a window later', async () => {
    const first = await evaluateModelHealth(trigger(null), context(stack, edge - 2000));
    expect(first.candidates).toHaveLength(1);
    const fired = first.candidates[0]!;
    expect(fired.reason).toMatch(/penguins@production \(v2\) accuracy 0 below 0\.8 over 30 observations/);

    const afterEdge = await evaluateModelHealth(trigger(fired.cursor), context(stack, edge + 2000));
    expect(afterEdge.candidates).toEqual([]);

    // A window after the firing, the same evidence is out of the window unless it is fresh.
    const later = edge - 2000 + HOUR;
    const again = await evaluateModelHealth(trigger(fired.cursor), context(servingStack(later - 100), later));
    expect(again.candidates).toHaveLength(1);
    expect(again.candidates[0]!.dedupeKey).not.toBe(fired.dedupeKey);
  });

  it('gives two agents reading the same cursor the same key, so the store lets only one claim it', async () => {
    const now = edge - 1000;
    const [a, b] = await Promise.all([
      evaluateModelHealth(trigger(null), context(stack, now)),
      evaluateModelHealth(trigger(null), context(stack, now + 700)),
    ]);
    expect(a.candidates[0]!.dedupeKey).toBe(b.candidates[0]!.dedupeKey);
  });
});
