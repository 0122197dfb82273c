import type { Stack } from '@strata/core';
import { type FiringRecord, newRunId } from '@strata/core/plugin';
import { nativeId } from '../triggers/create-trigger.js';
import { getTrigger } from '../triggers/manage-triggers.js';
import { nativeScheduler } from '../triggers/native-schedules.js';
import { newFiringId } from './fire.js';

/**
 * Fires a schedule or trigger now, whatever its condition says. A native schedule's orchestrator starts
 * it (undefined is returned); otherwise a firing is claimed for the evaluator (agents, or Temporal's
 * trigger workflow), which starts its run within a few ticks.
 */
export async function fireNow(stack: Stack, name: string): Promise<FiringRecord | undefined> {
  const trigger = await getTrigger(stack, name);
  // Temporal Schedules fire their own; every other trigger (the agents', Temporal's trigger workflow's)
  // gets a claimed manual firing that its evaluator starts on one of its next ticks.
  if (trigger.firedBy !== 'agent' && trigger.kind === 'schedule') {
    await nativeScheduler(stack)?.trigger(nativeId(name));
    return undefined;
  }
  const now = Date.now();
  const firing: FiringRecord = {
    id: newFiringId(now),
    trigger: name,
    dedupeKey: `manual:${now}:${Math.random().toString(36).slice(2, 8)}`,
    status: 'claimed',
    reason: `fired by hand (${process.env.USER ?? 'unknown user'})`,
    evidence: { manual: true },
    runId: newRunId(now),
    firedBy: `manual:${process.env.USER ?? 'cli'}`,
    createdAt: now,
    updatedAt: now,
    error: null,
  };
  await stack.database.claimFiring({ firing, cursor: trigger.cursor });
  return firing;
}
