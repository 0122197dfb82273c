import { randomBytes } from 'node:crypto';
import { isStrataError, type Stack, type StepStatus, StrataError, stepRunId } from '@strata/core';
import {
  alertRunEnd,
  dependenciesOf,
  type FiringRecord,
  finishedRunStatuses,
  importPipeline,
  loadRunForExecution,
  loadRunSnapshot,
  newRunId,
  type RunForExecution,
  recordRun,
  recordRunEnd,
  recordSkippedSteps,
  runStepEntry,
  type StepOutcome,
  type StrataDatabase,
  withParamDeclared,
} from '@strata/core/plugin';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { versionedModuleUrl } from './code-version.js';
import type { FiringLink, PlanNode, RunPlan } from './plan.js';

export interface StepArgs {
  readonly runId: string;
  readonly nodeId: string;
  readonly noCache: boolean;
  readonly resumedFrom: string | null;
}

/** The activities a Strata worker registers. Arguments and results are ids, counts and statuses. */
export interface StrataActivities {
  loadPlan(args: { runId: string }): Promise<RunPlan>;
  runStep(args: StepArgs & { mapIndex: number }): Promise<StepOutcome>;
  /** Creates a mapped step's instance rows; returns their count and the index ranges still to run. */
  expandMap(args: StepArgs): Promise<{ count: number; todo: [number, number][] }>;
  /** Runs instances [from, to) of a mapped step one after another, skipping finished ones. */
  runBatch(args: StepArgs & { from: number; to: number }): Promise<{ done: number; failed: number }>;
  collectMap(args: { runId: string; nodeId: string; count: number }): Promise<StepOutcome>;
  skipSteps(args: { runId: string; steps: readonly { node: string; reason: string }[] }): Promise<void>;
  failStep(args: { runId: string; nodeId: string; error: string }): Promise<void>;
  finishRun(args: { runId: string; cancelled: boolean }): Promise<string>;
  recordScheduledRun(args: {
    module: string;
    pipeline: string;
    params: Readonly<Record<string, unknown>>;
    stack: string;
    runId?: string;
    firing?: FiringLink;
    schedule?: string;
  }): Promise<{ runId: string }>;
  /** One evaluation of the stack's triggers (trigger-loop.ts); returns how long until the next is due. */
  tickTriggers(args: { stack: string }): Promise<{ nextCheckInMs: number }>;
}

/** The current activity's attempt (1 outside an activity, e.g. in tests calling activities directly). */
function activityAttempt(): number {
  try {
    return Context.current().info.attempt;
  } catch {
    return 1;
  }
}

const done = (s: StepStatus | undefined) => s === 'completed' || s === 'cached';

/**
 * Activities bound to the worker's stack. Each step runs through runStepEntry, as in a step process or
 * a container, with the runner from the stack's one factory (so steps reach the stack's components).
 */
export function createActivities(stack: Stack): Omit<StrataActivities, 'tickTriggers'> {
  const db = stack.database;
  // From the stack's one factory: with its components (a step's `context.component()` works here too).
  const runner = stack.stepRunner();
  const loaded = new Map<string, Promise<RunForExecution>>();

  // Loaded once per run: a batch of 500 instances imports and compiles the module once. A run of another
  // stack is refused here (loadRunForExecution), before anything is written to this stack's store.
  const load = (runId: string) => {
    let entry = loaded.get(runId);
    if (!entry) {
      entry = refusing(db, runId, loadRunForExecution(stack, runId, EXECUTOR, versionedModuleUrl));
      entry.catch(() => loaded.delete(runId));
      loaded.set(runId, entry);
      if (loaded.size > 64) loaded.delete(loaded.keys().next().value!);
    }
    return entry;
  };

  const task = async (args: StepArgs, mapIndex: number, signal?: AbortSignal) => {
    const { snapshot, compiled } = await load(args.runId);
    return {
      runId: args.runId,
      snapshot,
      compiled,
      nodeId: args.nodeId,
      mapIndex,
      noCache: args.noCache,
      resumedFrom: args.resumedFrom,
      // Temporal's attempt: a retry after a lost worker logs in its own block of seqs.
      execution: activityAttempt(),
      ...(signal ? { signal } : {}),
    };
  };

  const step = async (args: StepArgs, mapIndex: number, signal: AbortSignal) => {
    // Only a retry can follow an attempt the watchdog stopped: the first attempt reads nothing more.
    if (activityAttempt() > 1)
      await refuseStopped(db, stepRunId(args.runId, args.nodeId, mapIndex), args.nodeId);
    return runStepEntry(
      stack,
      // Temporal's attempt: a retry after a lost worker logs in its own block of seqs.
      { ...args, mapIndex, execution: activityAttempt() },
      { signal, loaded: await load(args.runId), runner },
    );
  };

  return {
    async loadPlan({ runId }) {
      const { snapshot } = await refusing(db, runId, loadRunSnapshot(stack, runId, EXECUTOR));
      const rows = (await db.listStepRuns(runId)).filter((r) => r.mapIndex < 0);
      const status: Record<string, StepStatus> = {};
      for (const row of rows) status[row.nodeId] = row.status === 'running' ? 'pending' : row.status;
      const nodes = snapshot.nodes.map((n): PlanNode => {
        const taskQueue = n.settings?.temporal?.taskQueue;
        return {
          id: n.id,
          deps: dependenciesOf(n),
          mapped: n.map !== undefined,
          ...(n.map?.concurrency === undefined ? {} : { mapConcurrency: n.map.concurrency }),
          ...(n.retry === undefined ? {} : { retry: n.retry }),
          ...(n.timeoutMs === undefined ? {} : { timeoutMs: n.timeoutMs }),
          ...(typeof taskQueue === 'string' ? { taskQueue } : {}),
        };
      });
      return { nodes, status };
    },

    async runStep(args) {
      return heartbeating((signal) => step(args, args.mapIndex, signal));
    },

    async expandMap(args) {
      const t = await task(args, -1);
      const { rows, statuses } = await runner.expand(t);
      const todo: [number, number][] = [];
      for (let i = 0; i < rows.length; i++) {
        if (done(statuses.get(i))) continue;
        const last = todo[todo.length - 1];
        if (last && last[1] === i) last[1] = i + 1;
        else todo.push([i, i + 1]);
      }
      return { count: rows.length, todo };
    },

    async runBatch(args) {
      return heartbeating(async (signal) => {
        let ran = 0;
        let failed = 0;
        for (let i = args.from; i < args.to && !signal.aborted; i++) {
          const row = await db.getStepRun(stepRunId(args.runId, args.nodeId, i));
          if (!done(row?.status)) {
            const outcome = await step(args, i, signal);
            if (!done(outcome.status)) failed++;
          }
          ran++;
          Context.current().heartbeat(i);
        }
        return { done: ran - failed, failed };
      });
    },

    async collectMap({ runId, nodeId, count }) {
      const t = await task({ runId, nodeId, noCache: false, resumedFrom: null }, -1);
      return runner.collect(t, count);
    },

    async skipSteps({ runId, steps }) {
      await recordSkippedSteps(db, runId, steps);
    },

    async failStep({ runId, nodeId, error }) {
      const id = stepRunId(runId, nodeId);
      // A step its worker stopped for spinning past its timeout was recorded timed_out with why: that stands.
      if ((await db.getStepRun(id))?.status === 'timed_out') return;
      await db.updateStepRun(id, { status: 'failed', endedAt: Date.now(), error });
    },

    async finishRun({ runId, cancelled }) {
      const run = await db.getRun(runId);
      loaded.delete(runId);
      // recordRunEnd closes what a cancel left pending or running, as the in-process run loop does.
      const status = await recordRunEnd(db, runId, cancelled || run?.status === 'cancelled');
      // A scheduled or triggered run has no submitter waiting to tell the alerter how it ended: the
      // worker that saw it end does (once per run, whoever else waits; it never throws).
      await alertRunEnd(stack, runId);
      return status;
    },

    async recordScheduledRun({
      module,
      pipeline,
      params,
      stack: stackName,
      runId: chosen,
      firing: link,
      schedule,
    }) {
      if (stackName !== stack.name) {
        throw new StrataError(
          `the schedule targets stack "${stackName}" but this worker serves stack "${stack.name}"`,
          {
            code: 'stack_mismatch',
            field: 'stack',
            value: stackName,
            fix: `start a worker with --stack ${stackName} on the schedule's task queue`,
          },
        );
      }
      let runId = chosen;
      let firing = link;
      if (schedule !== undefined && firing === undefined) {
        const recorded = await recordScheduleFiring(stack, schedule);
        runId = recorded?.runId ?? runId;
        firing = recorded?.link;
      }
      // A retried attempt of a firing's record finds its run (the id was chosen when the firing was claimed).
      if (runId !== undefined && (await db.getRun(runId))) return { runId };
      // The code on disk now (code-version.ts): a code-change trigger's run executes the new commit.
      const definition = await importPipeline(stack.projectRoot, module, pipeline, versionedModuleUrl);
      // A trigger's firing sets one parameter to Strata's own value (a data version): cut to what is declared.
      const given = withParamDeclared(
        definition.spec.params,
        params as Record<string, unknown>,
        firing?.param,
      );
      const compiled = definition.compile(given, { projectRoot: stack.projectRoot });
      const run = await recordRun(compiled, { stack, ...(runId === undefined ? {} : { runId }) });
      if (firing) {
        await db.addMetadata([
          { ownerType: 'run', ownerId: run.id, key: 'strata.trigger', value: { ...firing } },
        ]);
      }
      return { runId: run.id };
    },
  };
}

/**
 * Records a Temporal Schedule's firing under its stored schedule (once per scheduled workflow, keyed by
 * its id: a retried attempt finds the firing and its run id). Undefined when the schedule is not stored.
 */
async function recordScheduleFiring(
  stack: Stack,
  schedule: string,
): Promise<{ runId: string; link: FiringLink } | undefined> {
  const db = stack.database;
  const trigger = await db.getTrigger(schedule);
  if (!trigger) return undefined;
  const now = Date.now();
  // The scheduled workflow's id (`strata-NAME-<nominal time>`): one firing per scheduled action.
  const workflowId = Context.current().info.workflowExecution?.workflowId ?? `${schedule}-${now}`;
  const dedupeKey = `temporal:${workflowId}`;
  const firing: FiringRecord = {
    id: `f-${now.toString(36)}-${randomBytes(3).toString('hex')}`,
    trigger: schedule,
    dedupeKey,
    status: 'started',
    reason: `Temporal Schedule fired workflow ${workflowId}`,
    evidence: { workflowId },
    runId: newRunId(now),
    firedBy: 'temporal',
    createdAt: now,
    updatedAt: now,
    error: null,
  };
  const claimed = await db.claimFiring({ firing, cursor: trigger.cursor });
  const stored = claimed
    ? firing
    : (await db.listFirings({ trigger: schedule, limit: 100 })).find((f) => f.dedupeKey === dedupeKey);
  if (!stored?.runId) return undefined;
  return {
    runId: stored.runId,
    link: { trigger: schedule, kind: 'schedule', firing: stored.id, reason: stored.reason },
  };
}

/**
 * A step whose previous attempt spun past its timeoutMs was stopped by that worker's watchdog, which
 * recorded it `timed_out` before ending the worker (core runner/blocked-loop-watchdog.ts). Temporal
 * retries the activity after the heartbeat timeout; running the step again would end this worker too,
 * so the attempt fails at once and for good, naming the step, its timeout and the fix.
 */
async function refuseStopped(db: StrataDatabase, id: string, nodeId: string): Promise<void> {
  const row = await db.getStepRun(id);
  if (row?.status !== 'timed_out') return;
  throw ApplicationFailure.nonRetryable(
    `step "${nodeId}" was stopped on a previous attempt and is not retried: ${row.error ?? 'it ran past its timeoutMs'}`,
    'step_timed_out',
  );
}

/** Names this process in the error that refuses a run of another stack. */
const EXECUTOR = 'this Temporal worker';

/**
 * A run this worker must not execute (another stack's run, or a run missing from its metadata store)
 * fails at once instead of being retried until the workflow times out: retrying cannot fix it. Another
 * stack's run is recorded failed with the refusal when its row is in this worker's database (the stacks
 * of one project share it), so it does not stay `running`: only the row is written, never an artifact.
 */
async function refusing<T>(db: StrataDatabase, runId: string, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (isStrataError(error) && (error.code === 'stack_mismatch' || error.code === 'unknown_run')) {
      const message = `${error.message}\n  fix: ${error.fix ?? ''}`;
      if (error.code === 'stack_mismatch') await recordRefusal(db, runId, message);
      throw ApplicationFailure.nonRetryable(message, error.code);
    }
    throw error;
  }
}

async function recordRefusal(db: StrataDatabase, runId: string, message: string): Promise<void> {
  const run = await db.getRun(runId);
  if (!run || finishedRunStatuses.includes(run.status)) return;
  const at = Date.now();
  await db.closeActiveSteps(runId, 'cancelled', 'run refused by the worker', at);
  await db.updateRun(runId, { status: 'failed', endedAt: at, error: message });
}

/**
 * Runs `work` while heartbeating, so a dead worker's activity times out and is retried elsewhere; the
 * signal aborts when the workflow cancels the activity (delivered with a heartbeat response).
 */
async function heartbeating<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const context = Context.current();
  const every = Math.max(200, Math.floor((context.info.heartbeatTimeoutMs ?? 30_000) / 3));
  // No heartbeat up front: a heartbeat is an RPC, and a short step would wait for it to complete.
  const timer = setInterval(() => context.heartbeat(), every);
  try {
    return await work(context.cancellationSignal);
  } finally {
    clearInterval(timer);
  }
}
