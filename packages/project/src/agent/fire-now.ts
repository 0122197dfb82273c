import type { Stack } from '@strata/core';
import { type FiringRecord, newRunId } from '@strata/core/plugin';
import { nativeId } from '../triggers/create-trigger.js';
import { getTrigger } from '../triggers/manage-triggers.js';
import { nativeScheduler } from '../triggers/native-schedules.js';
import { newFiringId } from './fire.js';

/**
 * Fires a schedule or trigger now, whatever its condition says. On an orchestrator with native
 * schedules the orchestrator starts it (undefined is returned); otherwise a firing is claimed for the
 * agents, which start its run on their next tick.
 */
export async function fireNow(stack: Stack, name: string): Promise<FiringRecord | undefined> {
  const trigger = await getTrigger(stack, name);
  if (trigger.firedBy !== 'agent') {
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
