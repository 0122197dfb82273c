import { randomBytes } from 'node:crypto';
import type { Stack } from '@strata/core';
import { type FiringRecord, newRunId, type TriggerRecord } from '@strata/core/plugin';
import type { FiringCandidate } from './evaluation.js';
import type { RunLauncher } from './launcher.js';

const ACTIVE_RUN = new Set(['pending', 'running']);

/**
 * The run a trigger started last and is still active (any agent's), for the overlap policy. Runs that
 * were claimed but not yet recorded count as active too.
 */
export async function activeRunOf(stack: Stack, trigger: string): Promise<FiringRecord | undefined> {
  const recent = await stack.database.listFirings({ trigger, limit: 20 });
  const now = Date.now();
  return recent.find(
    (f) =>
      f.status === 'claimed' ||
      // Started but its run not recorded yet: the child process is still starting.
      (f.status === 'started' &&
        (f.runStatus === null ? now - f.updatedAt < 60_000 : ACTIVE_RUN.has(f.runStatus))),
  );
}

export function newFiringId(now: number): string {
  return `f-${now.toString(36)}-${randomBytes(3).toString('hex')}`;
}

/**
 * Claims the candidate in the store (exactly once across agents), applies the overlap policy and
 * starts the run. Returns the firing, or undefined when another agent (or an earlier life of this one)
 * had claimed it.
 */
export async function fire(
  stack: Stack,
  trigger: TriggerRecord,
  candidate: FiringCandidate,
  agentId: string,
  launcher: RunLauncher,
): Promise<FiringRecord | undefined> {
  const now = Date.now();
  const active = trigger.overlap === 'allow' ? undefined : await activeRunOf(stack, trigger.name);
  const status = active ? (trigger.overlap === 'skip' ? 'skipped' : 'queued') : 'claimed';
  const firing: FiringRecord = {
    id: newFiringId(now),
    trigger: trigger.name,
    dedupeKey: candidate.dedupeKey,
    status,
    reason:
      status === 'claimed'
        ? candidate.reason
        : `${candidate.reason}; ${status} (overlap ${trigger.overlap}): run ${active?.runId} is still active`,
    evidence: candidate.evidence,
    runId: status === 'skipped' ? null : newRunId(now),
    firedBy: agentId,
    createdAt: now,
    updatedAt: now,
    error: null,
  };
  if (!(await stack.database.claimFiring({ firing, cursor: candidate.cursor }))) return undefined;
  if (status === 'claimed') await start(stack, trigger, firing, launcher);
  return firing;
}

/** Starts a claimed (or dequeued) firing's run; a firing whose run exists already is only marked. */
export async function start(
  stack: Stack,
  trigger: TriggerRecord,
  firing: FiringRecord,
  launcher: RunLauncher,
): Promise<void> {
  if (firing.runId !== null && (await stack.database.getRun(firing.runId))) {
    await stack.database.updateFiring(firing.id, { status: 'started' });
    return;
  }
  try {
    await launcher.launch(trigger, firing, stack.projectRoot);
    await stack.database.updateFiring(firing.id, { status: 'started' });
  } catch (error) {
    await stack.database.updateFiring(firing.id, { status: 'failed', error: (error as Error).message });
  }
}
