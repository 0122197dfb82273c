import type { RunRecord, Stack } from '@strata/core';
import type { OwnerProber, RunOwner, Verdict } from '@strata/core/plugin';

/**
 * The project's answer to core's OwnerProber: a container or workflow owner is judged, and a crashed
 * run's leftovers reaped, by the orchestrator of the run's own stack, built only when a reader meets
 * such a run (a plain `runs list` of local runs builds nothing) and closed at the end of that read.
 */
export function stackOwnerProber(build: (stackName: string) => Promise<Stack>): OwnerProber {
  const open = new Map<string, Promise<Stack | undefined>>();
  const stackOf = (run: RunRecord) => {
    let stack = open.get(run.stackName);
    if (!stack) {
      // A stack deleted or broken since the run started cannot be asked: its runs stay as they are.
      stack = build(run.stackName).catch(() => undefined);
      open.set(run.stackName, stack);
    }
    return stack;
  };
  return {
    async judge(run: RunRecord, owner: RunOwner): Promise<Verdict> {
      const orchestrator = (await stackOf(run))?.orchestrator;
      return (await orchestrator?.judgeOwner?.(owner)) ?? { alive: 'unknown' };
    },
    async crashed(run: RunRecord): Promise<void> {
      await (await stackOf(run))?.orchestrator.reap?.([run.id]);
    },
    async release(): Promise<void> {
      const stacks = [...open.values()];
      open.clear();
      await Promise.allSettled(stacks.map(async (s) => (await s)?.close()));
    },
  };
}
