import type { RunStatus, StepStatus } from '../metadata/records.js';
import type { StrataDatabase } from '../metadata/strata-database.js';
import type { SubmittedRun } from '../orchestrator/orchestrator.js';
import type { SnapshotNode } from '../pipeline/snapshot.js';
import { IncrementalScheduler } from './scheduler.js';
import type { StepOutcome, StepRunner, StepTask } from './step-runner.js';
import { recordSkippedSteps } from './step-sweeps.js';

/** Where one step instance executes: in this process, a child process, a container… */
export type StepDispatch = (task: StepTask) => Promise<StepOutcome>;

export interface RunLoopOptions {
  /** Step instances executing at once. */
  readonly concurrency: number;
  /** How often to look for a cancellation requested by another process (`strata runs cancel`). */
  readonly cancelPollMs?: number;
  /**
   * Decide cache hits and false conditions here, before `dispatch` (StepRunner.decideWithoutRunning):
   * for dispatchers that start a process or container per step, so a cached step starts none. An
   * in-process dispatcher leaves it off (the runner decides the same thing without a second look-up).
   */
  readonly decideBeforeDispatch?: boolean;
}

/**
 * Drives a run to its end with the shared scheduling rule, handing each ready step to `dispatch`.
 * Mapped steps are expanded here (cheap bookkeeping) and their instances dispatched individually.
 */
export async function driveRun(
  run: SubmittedRun,
  runner: StepRunner,
  dispatch: StepDispatch,
  options: RunLoopOptions,
): Promise<RunStatus> {
  const db = run.stack.database;
  // Steps dispatched to another process leave nothing in this runner: the view then reads the store.
  run.attachRunner?.(runner);
  const controller = new AbortController();
  const nodes = run.snapshot.nodes;
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const status = new Map<string, StepStatus>();
  for (const row of await db.listStepStatuses(run.runId))
    if (row.mapIndex < 0) status.set(row.nodeId, row.status);
  const scheduler = new IncrementalScheduler(nodes, { failFast: run.failFast });
  const send: StepDispatch = options.decideBeforeDispatch
    ? async (task) => (await runner.decideWithoutRunning(task)) ?? dispatch(task)
    : dispatch;
  /** Nodes whose status changed since the scheduler's last turn. */
  let changed: string[] = [];
  const slots = new Semaphore(options.concurrency);
  const inFlight = new Set<string>();
  // Every step that ends wakes the loop. (Racing all the steps in flight instead attached a reaction to
  // each of them on every turn: quadratic with 1,000 independent nodes in flight.)
  let wake!: () => void;
  let woken = new Promise<void>((resolve) => {
    wake = resolve;
  });
  const baseTask = {
    runId: run.runId,
    snapshot: run.snapshot,
    compiled: run.compiled!,
    noCache: run.noCache,
    resumedFrom: run.resumedFrom ?? null,
    signal: controller.signal,
  };
  const poll = setInterval(async () => {
    const current = await db.getRun(run.runId).catch(() => undefined);
    if (current?.status === 'cancelled') controller.abort(new Error('run cancelled'));
  }, options.cancelPollMs ?? 1000);
  try {
    for (;;) {
      const decision = scheduler.next(status, changed);
      changed = [];
      for (const { node } of decision.skip) status.set(node, 'skipped');
      if (decision.skip.length > 0) await recordSkippedSteps(db, run.runId, decision.skip);
      for (const id of controller.signal.aborted ? [] : decision.ready) {
        status.set(id, 'running');
        const node = byId.get(id)!;
        // A step that finished in this process starts its dependents at once (its completion may still
        // be waiting for a group commit); the run ends only once every completion is committed.
        // (Closures here are passed, not named: the bundle's keepNames wraps every named one, per step.)
        let early: StepStatus | undefined;
        const work = node.map
          ? runMapped(node, { ...baseTask, nodeId: id }, runner, send, slots)
          : dispatchInSlot(slots, send, { ...baseTask, nodeId: id }, (outcome) => {
              early = outcome.status;
              status.set(id, outcome.status);
              changed.push(id);
              wake();
            });
        inFlight.add(id);
        void work
          .catch((error: unknown): StepOutcome => ({ status: 'failed', error: String(error) }))
          .then((outcome) => {
            status.set(id, outcome.status);
            if (outcome.status !== early) changed.push(id);
            inFlight.delete(id);
            wake();
          });
      }
      // A cancelled run's steps that never started are closed by recordRunEnd, as on every orchestrator.
      if (inFlight.size === 0) break;
      // Steps that ended while this turn ran already resolved `woken`: their changes are in `changed`.
      await woken;
      woken = new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  } finally {
    clearInterval(poll);
  }
  // A cancel recorded by another process (`runs cancel`, cancelRun) can end the last step before the
  // poll above sees it (a step process stops at once on SIGTERM): the row's status decides too, so the
  // run is not then recorded completed over the cancel.
  const cancelled =
    controller.signal.aborted || (await db.getRun(run.runId).catch(() => undefined))?.status === 'cancelled';
  return recordRunEnd(db, run.runId, cancelled);
}

async function runMapped(
  node: SnapshotNode,
  task: StepTask,
  runner: StepRunner,
  dispatch: StepDispatch,
  slots: Semaphore,
): Promise<StepOutcome> {
  const { rows, statuses } = await runner.expand(task);
  const limit = new Semaphore(node.map?.concurrency ?? Number.POSITIVE_INFINITY);
  // Each instance's status as it ended (after its commit); on resume, those that already finished
  // are not dispatched again.
  const ended = new Map<number, StepStatus>();
  await Promise.all(
    rows.map(async ({ mapIndex }) => {
      const s = statuses.get(mapIndex);
      if (s === 'completed' || s === 'cached') {
        ended.set(mapIndex, s);
        return;
      }
      const outcome = await limit.use(() => dispatchInSlot(slots, dispatch, { ...task, mapIndex }));
      ended.set(mapIndex, outcome.status);
    }),
  );
  return runner.collect(task, rows.length, ended);
}

/**
 * Dispatches a step holding one of `slots` until it finished: its outcome in this process
 * (StepTask.onFinished, then `finished` is called) or, for a dispatcher that does not report that,
 * its end. A finished step waiting for its group commit holds no slot, so the next ones run meanwhile
 * and their completions share the commit. The promise is the step's outcome, after its commit.
 */
function dispatchInSlot(
  slots: Semaphore,
  dispatch: StepDispatch,
  task: StepTask,
  finished?: (outcome: StepOutcome) => void,
): Promise<StepOutcome> {
  let outcome!: Promise<StepOutcome>;
  const held = slots.use(
    () =>
      new Promise<void>((release) => {
        outcome = dispatch({
          ...task,
          onFinished(o) {
            release();
            finished?.(o);
          },
        });
        outcome.then(
          () => release(),
          () => release(),
        );
      }),
  );
  return held.then(() => outcome);
}

/**
 * Ends a run's row from its step rows: cancelled if asked, failed if any step failed, else completed.
 * Every orchestrator finishes runs this way (in process, or in a Temporal activity).
 */
export async function recordRunEnd(
  db: StrataDatabase,
  runId: string,
  cancelled: boolean,
): Promise<RunStatus> {
  const rows = await db.listStepStatuses(runId);
  const failed = rows.find(
    (r) => (r.status === 'failed' || r.status === 'timed_out' || r.status === 'crashed') && r.mapIndex < 0,
  );
  // A cancel that came after every step had finished (Ctrl-C just after the last one) stopped nothing:
  // the run completed, and resuming it would have nothing to do.
  const top = rows.filter((r) => r.mapIndex < 0);
  const allDone = top.length > 0 && top.every((r) => doneStatuses.includes(r.status));
  const status: RunStatus = cancelled && !allDone ? 'cancelled' : failed ? 'failed' : 'completed';
  // Nothing of an ended run stays active (a step a crash or a cancel left behind).
  if (rows.some((r) => r.status === 'pending' || r.status === 'running'))
    await db.closeActiveSteps(runId, 'cancelled', cancelled ? 'run cancelled' : 'run ended', Date.now());
  await db.updateRun(runId, {
    status,
    endedAt: Date.now(),
    error: failed
      ? `step "${failed.nodeId}" ${failed.status === 'failed' ? 'failed' : failed.status.replace('_', ' ')}: ${failed.error ?? 'unknown error'}`
      : status === 'cancelled'
        ? 'cancelled'
        : null,
  });
  return status;
}

const doneStatuses: readonly StepStatus[] = ['completed', 'cached', 'skipped'];

/** A counting semaphore; `Infinity` means no limit. */
export class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async use<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await work();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}
