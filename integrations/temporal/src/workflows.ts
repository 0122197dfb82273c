/**
 * Workflow code: bundled by webpack into Temporal's deterministic sandbox. It may import only
 * `@temporalio/workflow`, the pure scheduling rule of @strata/core and pure modules of this package.
 */
import type { StepStatus } from '@strata/core';
import type { SnapshotNode } from '@strata/core/plugin';
import { schedule } from '@strata/core/scheduler';
import {
  CancellationScope,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  isCancellation,
  ParentClosePolicy,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  startChild,
  TimeoutFailure,
  workflowInfo,
} from '@temporalio/workflow';
import type { StrataActivities } from './activities.js';
import { bookkeepingOptions, remoteBookkeepingOptions, stepActivityOptions } from './activity-options.js';
import type { PlanNode, RunInput, RunProgress, ScheduledRunInput, TriggerLoopInput } from './plan.js';

export const progressQuery = defineQuery<RunProgress>('progress');
/** Sent by a worker whose watched folder changed: evaluate now instead of at the next poll. */
export const wakeSignal = defineSignal('wake');

const statuses: readonly StepStatus[] = [
  'pending',
  'running',
  'completed',
  'cached',
  'failed',
  'skipped',
  'cancelled',
];

/** Executes one recorded run: workflow id = run id; every step row lives in the metadata store. */
export async function strataRun(input: RunInput): Promise<string> {
  const { runId, settings } = input;
  // Runs started before the bookkeeping became local replay with remote activities (their history
  // has no marker of this patch); every new run records it once and keeps the bookkeeping local.
  const book = patched('strata-local-bookkeeping')
    ? proxyLocalActivities<StrataActivities>(bookkeepingOptions())
    : proxyActivities<StrataActivities>(remoteBookkeepingOptions(settings));
  const status = new Map<string, StepStatus>();
  const instances: Record<string, { total: number; done: number; failed: number }> = {};
  setHandler(progressQuery, () => {
    const steps = Object.fromEntries(statuses.map((s) => [s, 0])) as Record<StepStatus, number>;
    for (const s of status.values()) steps[s]++;
    return { runId, steps, instances, generation: input.generation ?? 0 };
  });
  const base = { runId, noCache: input.noCache, resumedFrom: input.resumedFrom };
  let cancelled: unknown;
  let continueNow = false;
  try {
    await CancellationScope.cancellable(async () => {
      const plan = await book.loadPlan({ runId });
      for (const [id, s] of Object.entries(plan.status)) status.set(id, s);
      // The scheduling rule only looks at ids and dependencies.
      const nodes = plan.nodes.map(
        (n) => ({ id: n.id, after: n.deps, inputs: {} }) as unknown as SnapshotNode,
      );
      const byId = new Map(plan.nodes.map((n) => [n.id, n]));
      const historyFull = () =>
        workflowInfo().continueAsNewSuggested ||
        workflowInfo().historyLength > settings.continueAsNewAfterEvents;
      const inFlight = new Map<string, Promise<void>>();

      const runNode = async (node: PlanNode): Promise<StepStatus | 'interrupted'> => {
        if (!node.mapped) {
          const steps = proxyActivities<StrataActivities>(stepActivityOptions(node, settings));
          return (await steps.runStep({ ...base, nodeId: node.id, mapIndex: -1 })).status;
        }
        const { count, todo } = await book.expandMap({ ...base, nodeId: node.id });
        const counter = { total: count, done: count - todo.reduce((n, [a, b]) => n + b - a, 0), failed: 0 };
        instances[node.id] = counter;
        const chunks: [number, number][] = [];
        for (const [from, to] of todo) {
          for (let i = from; i < to; i += settings.batchSize)
            chunks.push([i, Math.min(to, i + settings.batchSize)]);
        }
        const steps = proxyActivities<StrataActivities>(
          stepActivityOptions(node, settings, settings.batchSize),
        );
        const window = Math.min(
          settings.maxConcurrentBatches,
          node.mapConcurrency ?? Number.POSITIVE_INFINITY,
        );
        let next = 0;
        let interrupted = false;
        const lane = async () => {
          while (next < chunks.length) {
            if (historyFull()) {
              interrupted = true;
              return;
            }
            const [from, to] = chunks[next++]!;
            const result = await steps.runBatch({ ...base, nodeId: node.id, from, to });
            counter.done += result.done;
            counter.failed += result.failed;
          }
        };
        await Promise.all(Array.from({ length: Math.max(1, Math.min(window, chunks.length)) }, lane));
        if (interrupted) return 'interrupted';
        return (await book.collectMap({ runId, nodeId: node.id, count })).status;
      };

      for (;;) {
        const decision = schedule(nodes, status, { failFast: input.failFast });
        if (decision.skip.length > 0) {
          await book.skipSteps({ runId, steps: decision.skip });
          for (const { node } of decision.skip) status.set(node, 'skipped');
        }
        const draining = continueNow || historyFull();
        for (const id of draining ? [] : decision.ready) {
          status.set(id, 'running');
          const work = runNode(byId.get(id)!).catch(async (error: unknown): Promise<StepStatus> => {
            if (isCancellation(error)) throw error;
            // The activity failed for good (its worker died on every attempt): end the row here.
            const message = error instanceof Error ? error.message : String(error);
            await book.failStep({
              runId,
              nodeId: id,
              error: `step activity failed: ${message}${why(error)}`,
            });
            return 'failed';
          });
          inFlight.set(
            id,
            work.then((outcome) => {
              inFlight.delete(id);
              if (outcome === 'interrupted') {
                // The history is full: the row stays running and the next execution picks it up.
                continueNow = true;
                status.set(id, 'pending');
              } else {
                status.set(id, outcome);
              }
            }),
          );
        }
        if (inFlight.size === 0) {
          if (draining && (decision.ready.length > 0 || continueNow)) continueNow = true;
          break;
        }
        await Promise.race(inFlight.values());
      }
    });
  } catch (error) {
    if (!isCancellation(error)) throw error;
    cancelled = error;
  }
  if (continueNow && cancelled === undefined) {
    await continueAsNew<typeof strataRun>({ ...input, generation: (input.generation ?? 0) + 1 });
  }
  const ended = await CancellationScope.nonCancellable(() =>
    book.finishRun({ runId, cancelled: cancelled !== undefined }),
  );
  // Rethrown so Temporal shows the workflow as cancelled, after the rows were closed.
  if (cancelled !== undefined) throw cancelled;
  return ended;
}

/** What a Temporal Schedule starts: compile and record a run on the worker, then execute it as a child. */
export async function strataScheduledRun(input: ScheduledRunInput): Promise<string> {
  const book = proxyActivities<StrataActivities>(remoteBookkeepingOptions(input.settings));
  const { runId } = await book.recordScheduledRun({
    module: input.module,
    pipeline: input.pipeline,
    params: input.params,
    stack: input.stack,
    ...(input.runId === undefined ? {} : { runId: input.runId }),
    ...(input.firing === undefined ? {} : { firing: input.firing }),
    ...(input.schedule === undefined ? {} : { schedule: input.schedule }),
  });
  await startChild(strataRun, {
    workflowId: runId,
    taskQueue: input.settings.taskQueue,
    args: [{ runId, noCache: false, failFast: true, resumedFrom: null, settings: input.settings }],
    parentClosePolicy: ParentClosePolicy.ABANDON,
  });
  return runId;
}

/** Evaluations per execution before continuing as new (each is about 6 history events). */
const TICKS_PER_EXECUTION = 500;

/**
 * The durable trigger evaluator of one stack (workflow id `strata-triggers-STACK-QUEUE`): evaluates the
 * stack's stored triggers in an activity, sleeps on a Temporal timer until the next one is due (or a
 * worker's file watcher signals `wake`), and continues as new before its history grows. It outlives
 * any worker: with none running it waits, and the next worker to poll carries on where it stopped.
 * Firings are claimed in the metadata store under their dedupe key, so an activity retried after a
 * worker died, or an agent looking at the same data, never starts a second run.
 */
export async function strataTriggers(input: TriggerLoopInput): Promise<void> {
  const book = proxyActivities<StrataActivities>({
    ...remoteBookkeepingOptions(input.settings),
    // A tick only lists, claims and starts workflows: a minute is generous, and a worker that died
    // mid-tick is noticed after it. Retried without limit: the loop must outlive a store outage.
    startToCloseTimeout: '1 minute',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
  });
  let woken = false;
  setHandler(wakeSignal, () => {
    woken = true;
  });
  for (let i = 0; i < TICKS_PER_EXECUTION; i++) {
    woken = false;
    const { nextCheckInMs } = await book.tickTriggers({ stack: input.stack });
    const sleep = Math.min(Math.max(nextCheckInMs, 200), input.maxSleepMs ?? 60_000);
    await condition(() => woken, sleep);
  }
  await continueAsNew<typeof strataTriggers>(input);
}

/**
 * What a heartbeat timeout means for a step: its worker stopped answering. A worker ends itself when a
 * step spins past its timeoutMs (the blocked-loop watchdog), and says so in its log.
 */
function why(error: unknown): string {
  const cause = (error as { cause?: unknown } | null)?.cause;
  if (cause instanceof TimeoutFailure && cause.timeoutType === 'HEARTBEAT')
    return ' (heartbeat timeout: the worker running the step stopped answering; a step that spins past its timeoutMs without yielding ends its worker, whose log names it)';
  // The activity's own error, e.g. the worker could not import the pipeline module: its first line,
  // or the row said only "Activity task failed" and the reason was in some worker's log.
  if (cause instanceof Error && cause.message) return `: ${cause.message.split('\n')[0]}`;
  return '';
}
