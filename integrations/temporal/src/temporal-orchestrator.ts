import type { Stack } from '@strata/core';
import type {
  ExecuteResult,
  Orchestrator,
  PipelineSchedules,
  RunOwner,
  SubmittedRun,
  Verdict,
} from '@strata/core/plugin';
import type { Client, Connection } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/client';
import { connectClient, runSettings } from './connection.js';
import type { TemporalOrchestratorConfig } from './flavor.js';
import type { RunInput, RunProgress } from './plan.js';

/** A reader waits this long for the server before leaving a Temporal run's status as it is. */
const JUDGE_TIMEOUT_MS = 5_000;

const WORKFLOW_ENDED: Record<string, string> = {
  TERMINATED: 'was terminated',
  TIMED_OUT: 'timed out',
  FAILED: 'failed',
  CANCELLED: 'was cancelled',
  COMPLETED: 'completed without recording the end of its run',
};

/**
 * Submits each run as a `strataRun` workflow (workflow id = run id) and returns at once: the run
 * continues on the workers even if this process exits; its handle polls the metadata store.
 */
export class TemporalOrchestrator implements Orchestrator {
  readonly flavor = 'temporal';
  private connecting: Promise<{ client: Client; connection: Connection }> | undefined;
  private readonly starting = new Set<Promise<unknown>>();

  constructor(readonly config: TemporalOrchestratorConfig) {}

  /** The shared client of this orchestrator (one connection per stack). */
  client(): Promise<Client> {
    this.connecting ??= connectClient(this.config);
    this.connecting.catch(() => {
      this.connecting = undefined;
    });
    return this.connecting.then((c) => c.client);
  }

  async execute(run: SubmittedRun): Promise<ExecuteResult> {
    // Tracked from the first await, so close() cannot close the connection under a hand-over.
    const started = this.start(run);
    this.starting.add(started);
    try {
      await started;
    } finally {
      this.starting.delete(started);
    }
    // From now on the run lives as long as its workflow (judgeOwner).
    return { detached: true, owner: { kind: 'workflow', id: run.runId, namespace: this.config.namespace } };
  }

  /**
   * A run's liveness is its workflow's: running (or waiting for a worker) is alive; terminated, timed
   * out, failed, cancelled or completed without the run recording its end is gone. An unreachable
   * server is `unknown`: nothing is judged from silence.
   */
  async judgeOwner(owner: RunOwner): Promise<Verdict> {
    if (owner.kind !== 'workflow') return { alive: 'unknown' };
    const describe = async (): Promise<Verdict> => {
      try {
        const status = (await (await this.client()).workflow.getHandle(owner.id).describe()).status.name;
        if (status === 'RUNNING' || status === 'CONTINUED_AS_NEW') return { alive: true };
        if (status === 'UNKNOWN' || status === 'UNSPECIFIED') return { alive: 'unknown' };
        return { alive: false, reason: `Temporal workflow ${owner.id} ${WORKFLOW_ENDED[status] ?? status}` };
      } catch (error) {
        if (error instanceof WorkflowNotFoundError)
          return { alive: false, reason: `Temporal workflow ${owner.id} does not exist (any more)` };
        return { alive: 'unknown' };
      }
    };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<Verdict>((resolve) => {
      timer = setTimeout(() => resolve({ alive: 'unknown' }), JUDGE_TIMEOUT_MS);
    });
    try {
      return await Promise.race([describe(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * A run's workflow waits, silently, on its task queue until a worker polls it: say so when no worker
   * has polled it lately (the server lists pollers of the last few minutes). Only the workflow queue is
   * asked; a step sent to another queue (`settings.temporal.taskQueue`) is not checked.
   */
  async stalled(_runId: string, stackName: string): Promise<string | undefined> {
    const { namespace, taskQueue, address } = this.config;
    const ask = async () => {
      const client = await this.client();
      // The type left out is the workflow queue's (TASK_QUEUE_TYPE_WORKFLOW).
      const { pollers } = await client.workflowService.describeTaskQueue({
        namespace,
        taskQueue: { name: taskQueue },
      });
      if ((pollers ?? []).length > 0) return undefined;
      return `no worker polls Temporal task queue "${taskQueue}" (namespace ${namespace} at ${address}): the run waits until one does; start one with: strata worker --stack ${stackName}`;
    };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), JUDGE_TIMEOUT_MS);
    });
    try {
      // An unreachable server or a refused call says nothing about workers: no hint.
      return await Promise.race([ask().catch(() => undefined), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async start(run: SubmittedRun): Promise<void> {
    const client = await this.client();
    const input: RunInput = {
      runId: run.runId,
      noCache: run.noCache,
      failFast: run.failFast,
      resumedFrom: run.resumedFrom ?? null,
      settings: runSettings(this.config),
    };
    await client.workflow.start('strataRun', {
      taskQueue: this.config.taskQueue,
      workflowId: run.runId,
      args: [input],
    });
  }

  /** Cancels the run's workflow; its activities receive the cancellation with their next heartbeat. */
  async cancel(runId: string): Promise<void> {
    const client = await this.client();
    try {
      await client.workflow.getHandle(runId).cancel();
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
    }
  }

  /** Temporal Schedules (schedules.ts, imported on first use: it imports this class). */
  schedules(stack: Stack): PipelineSchedules {
    const api = () => import('./schedules.js');
    return {
      create: async (request) => (await api()).createSchedule({ ...request, stack }),
      list: async () => (await api()).listSchedules(stack),
      pause: async (id, paused) => (await api()).pauseSchedule(stack, id, paused),
      trigger: async (id) => (await api()).triggerSchedule(stack, id),
      delete: async (id) => (await api()).deleteSchedule(stack, id),
      watchTriggers: async () => (await import('./trigger-loop.js')).ensureTriggerLoop(stack, this),
    };
  }

  /** Live step counts from the workflow's `progress` query (undefined once the workflow is gone). */
  async progress(runId: string): Promise<RunProgress | undefined> {
    const client = await this.client();
    try {
      return await client.workflow.getHandle(runId).query<RunProgress>('progress');
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return undefined;
      throw error;
    }
  }

  /** Waits for runs still being handed over, so a client may submit and exit at once. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.starting]);
    const connecting = this.connecting;
    this.connecting = undefined;
    if (connecting) await (await connecting.catch(() => undefined))?.connection.close();
  }
}
