import { closeSync, openSync, writeSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { type LastWord, writeLastWords } from '../liveness/last-words.js';
import { processOwner } from '../liveness/owner.js';
import { WATCHDOG_SOURCE } from './blocked-loop-worker.js';

/** A step body with a timeout, as the watchdog sees it. */
export interface WatchedStep {
  readonly runId: string;
  readonly stepRunId: string;
  readonly nodeId: string;
  readonly timeoutMs: number;
  /** When this attempt's body started (its running mark may not be written yet). */
  readonly startedAt?: number;
  readonly attempt?: number;
}

/**
 * Records stopped steps in the metadata store from the watchdog thread before the process ends, so
 * that the step is `timed_out` for everyone at once, not only for a reader on this host that finds
 * the last words (a Temporal retry on another machine must see it). Installed by a host that has the
 * store's address (core knows no store): `module` is the file URL of an ES module exporting
 * `recordStoppedSteps(data, words: LastWord[]): Promise<void>`, imported in the thread when it starts;
 * `data` is handed to it (it may hold a password: it stays in this process's memory).
 */
export interface BlockedStepRecorder {
  readonly module: string;
  readonly data: unknown;
}

/** How long the main thread waits for the recorder before it ends the process anyway. */
const RECORD_WITHIN_MS = 10_000;

/** How long the event loop may stay blocked past a step's deadline (`STRATA_TIMEOUT_GRACE_MS`). */
function graceMs(): number {
  const raw = Number(process.env.STRATA_TIMEOUT_GRACE_MS);
  return Number.isInteger(raw) && raw >= 100 ? raw : 1000;
}

/** How long the watchdog thread waits for the main thread to end the process before it kills it. */
const KILL_AFTER_MS = 5000;

export function blockedStepMessage(
  step: Pick<WatchedStep, 'nodeId' | 'timeoutMs'>,
  blockedMs?: number,
): string {
  const blocked = blockedMs === undefined ? '' : ` (the event loop was blocked for ${blockedMs} ms)`;
  return (
    `step "${step.nodeId}" ran past its timeoutMs of ${step.timeoutMs} ms without yielding${blocked}, ` +
    'so Strata ended the process running it. Run the step where it can be stopped ' +
    '(`--isolation process` on the local orchestrator, or a Docker stack), or let its loop yield (`await` between chunks of work)'
  );
}

/**
 * Stops steps that overrun their `timeoutMs` without yielding. A step in process shares the event loop
 * with everything else in it, so a plain timer cannot stop a synchronous loop; a watchdog thread sees
 * the loop blocked past a step's deadline (plus a grace) and has the main thread run `stop` as an
 * interrupt inside the blocking code. Nothing async can run there (the loop is what is blocked) and the
 * blocking code cannot be safely unwound, so `stop` does only synchronous work: it prints why and what
 * to do, leaves last words naming the overdue steps (the next reader records them `timed_out` and the
 * run `failed`, liveness/last-words.ts), and exits 1. Nothing is started for steps without a timeout.
 */
class BlockedLoopWatchdog {
  private worker: Worker | undefined;
  private readonly clock = new Int32Array(new SharedArrayBuffer(4));
  /** Set to 1 by the thread when the recorder is done (or gave up). */
  private readonly recorded = new Int32Array(new SharedArrayBuffer(4));
  private recorder: BlockedStepRecorder | undefined;
  private readonly base = Date.now();
  private readonly steps = new Map<number, WatchedStep>();
  private ticker: NodeJS.Timeout | undefined;
  private next = 0;

  /** Watches one execution of a step body; the returned function ends the watch. */
  arm(step: WatchedStep): () => void {
    const key = ++this.next;
    this.steps.set(key, step);
    this.stamp();
    this.ticker ??= setInterval(() => this.stamp(), 100).unref();
    const word: LastWord = {
      runId: step.runId,
      stepRunId: step.stepRunId,
      message: blockedStepMessage(step),
      ...(step.startedAt === undefined ? {} : { startedAt: step.startedAt }),
      ...(step.attempt === undefined ? {} : { attempt: step.attempt }),
    };
    this.thread().postMessage({
      type: 'arm',
      key,
      deadline: Date.now() + step.timeoutMs,
      message: `run ${step.runId}: ${word.message}`,
      word,
    });
    return () => {
      if (!this.steps.delete(key)) return;
      this.worker?.postMessage({ type: 'disarm', key });
      if (this.steps.size === 0 && this.ticker) {
        clearInterval(this.ticker);
        this.ticker = undefined;
      }
    };
  }

  /** With a recorder, the thread starts now: its module is loaded before any step can block the loop. */
  setRecorder(recorder: BlockedStepRecorder | undefined): void {
    this.recorder = recorder;
    if (this.worker) this.worker.postMessage({ type: 'recorder', recorder });
    else if (recorder) this.thread();
  }

  private stamp(): void {
    Atomics.store(this.clock, 0, Date.now() - this.base);
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    (globalThis as Record<symbol, unknown>)[Symbol.for('strata.blockedLoop')] = (
      keys: number[],
      blockedMs: number,
    ) => this.stop(keys, blockedMs);
    const worker = new Worker(WATCHDOG_SOURCE, {
      eval: true,
      workerData: {
        clock: this.clock.buffer,
        recorded: this.recorded.buffer,
        recordWithinMs: RECORD_WITHIN_MS,
        base: this.base,
        graceMs: graceMs(),
        killAfterMs: KILL_AFTER_MS,
      },
      // The thread needs none of the step's stdio.
      stdout: false,
      stderr: false,
    });
    worker.unref();
    if (this.recorder) worker.postMessage({ type: 'recorder', recorder: this.recorder });
    // A watchdog that cannot start must not take the run down with it; timers still stop yielding code.
    worker.on('error', () => undefined);
    this.worker = worker;
    return worker;
  }

  /** Runs as an interrupt on the main thread, inside the blocking code: synchronous work only. */
  private stop(keys: readonly number[], blockedMs: number): void {
    const overdue = keys.flatMap((k) => this.steps.get(k) ?? []);
    const words = overdue.map((s) => ({
      runId: s.runId,
      stepRunId: s.stepRunId,
      message: blockedStepMessage(s, blockedMs),
      ...(s.startedAt === undefined ? {} : { startedAt: s.startedAt }),
      ...(s.attempt === undefined ? {} : { attempt: s.attempt }),
    }));
    // The CLI's own lines may not have been printed yet (it shares the blocked loop): name the run here.
    writeSync(2, words.map((w) => `strata: run ${w.runId}: ${w.message}\n`).join(''));
    try {
      writeLastWords(processOwner(), words);
    } catch {
      // Without them the next reader still finds the run's owner gone and records it crashed.
    }
    // The thread is writing the stopped steps to the store (this thread must not run anything else
    // meanwhile: the stopped code may not go on): wait for it, bounded.
    if (this.recorder) Atomics.wait(this.recorded, 0, 0, RECORD_WITHIN_MS + 1000);
    // Node prints "Waiting for the debugger to disconnect..." at exit while the watchdog's inspector
    // session is open: stderr (fd 2) is pointed at /dev/null first (open takes the lowest free fd).
    closeSync(2);
    openSync('/dev/null', 'w');
    (process as unknown as { reallyExit(code: number): never }).reallyExit(1);
  }
}

let watchdog: BlockedLoopWatchdog | undefined;

/** Installs (or with undefined removes) the process's recorder of stopped steps; see BlockedStepRecorder. */
export function setBlockedStepRecorder(recorder: BlockedStepRecorder | undefined): void {
  watchdog ??= new BlockedLoopWatchdog();
  watchdog.setRecorder(recorder);
}

/** Arms the process's watchdog for a step body with a timeout; call the result when the body settles. */
export function watchBlockedLoop(step: WatchedStep): () => void {
  watchdog ??= new BlockedLoopWatchdog();
  return watchdog.arm(step);
}
