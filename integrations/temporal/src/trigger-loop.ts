import type { Stack } from '@strata/core';
import type { FiringRecord, TriggerRecord } from '@strata/core/plugin';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { runSettings } from './connection.js';
import type { ScheduledRunInput, TriggerLoopInput } from './plan.js';
import type { TemporalOrchestrator } from './temporal-orchestrator.js';

/** The trigger workflow's id: one per stack and task queue (two projects may share a namespace). */
export function triggerLoopId(stack: Stack, orchestrator: TemporalOrchestrator): string {
  return `strata-triggers-${stack.name}-${orchestrator.config.taskQueue}`;
}

/** The triggers this stack's trigger workflow fires: not schedules (Temporal Schedules fire those). */
export function firedByLoop(stack: Stack, trigger: TriggerRecord): boolean {
  return trigger.firedBy === 'temporal' && trigger.kind !== 'schedule' && trigger.target.stack === stack.name;
}

/** Starts the stack's trigger workflow unless it is running (idempotent: the workflow id is fixed). */
export async function ensureTriggerLoop(stack: Stack, orchestrator: TemporalOrchestrator): Promise<void> {
  const client = await orchestrator.client();
  const input: TriggerLoopInput = { stack: stack.name, settings: runSettings(orchestrator.config) };
  try {
    await client.workflow.start('strataTriggers', {
      workflowId: triggerLoopId(stack, orchestrator),
      taskQueue: orchestrator.config.taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}

/**
 * The trigger workflow's activity: one evaluation by an Agent kept per worker (its parsed calendars,
 * settling digests and folder watchers survive between ticks; a new worker starts afresh from the
 * store). A firing's run starts as a `strataScheduledRun` workflow whose id is the firing's: a tick
 * retried after its worker died, or a claimed firing resumed, cannot start it twice.
 */
export function createTriggerActivities(stack: Stack, orchestrator: TemporalOrchestrator) {
  let agent: Promise<import('@strata/project').Agent> | undefined;
  const loopId = triggerLoopId(stack, orchestrator);
  const open = async () => {
    const { Agent, firingParam, firingParams } = await import('@strata/project');
    const launcher = {
      async launch(trigger: TriggerRecord, firing: FiringRecord) {
        const client = await orchestrator.client();
        const input: ScheduledRunInput = {
          module: trigger.target.module,
          pipeline: trigger.target.pipeline,
          params: { ...trigger.target.params, ...firingParams(trigger.condition, firing.evidence) },
          stack: stack.name,
          settings: runSettings(orchestrator.config),
          ...(firing.runId === null ? {} : { runId: firing.runId }),
          firing: {
            trigger: trigger.name,
            kind: trigger.kind,
            firing: firing.id,
            reason: firing.reason,
            ...withParam(firingParam(trigger.condition)),
          },
        };
        try {
          await client.workflow.start('strataScheduledRun', {
            workflowId: `strata-firing-${firing.id}`,
            taskQueue: orchestrator.config.taskQueue,
            args: [input],
          });
        } catch (error) {
          if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
        }
      },
    };
    return new Agent({
      stack,
      launcher,
      accepts: (t) => firedByLoop(stack, t),
      // A file landing in a watched folder wakes the workflow instead of waiting for its timer.
      onPoke: () => {
        void orchestrator
          .client()
          .then((c) => c.workflow.getHandle(loopId).signal('wake'))
          .catch(() => undefined);
      },
      log: (line) => process.stderr.write(`strata triggers: ${line}\n`),
    });
  };
  return {
    async tickTriggers({ stack: name }: { stack: string }): Promise<{ nextCheckInMs: number }> {
      if (name !== stack.name) {
        // Another stack's loop on this task queue: not ours to evaluate; look again in a while.
        return { nextCheckInMs: 60_000 };
      }
      agent ??= open();
      const a = await agent;
      await a.tick();
      return { nextCheckInMs: a.nextCheckAt(60_000) - Date.now() };
    },
  };
}

const withParam = (param: string | undefined) => (param === undefined ? {} : { param });
