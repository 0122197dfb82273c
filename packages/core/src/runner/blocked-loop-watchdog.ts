import { Worker } from 'node:worker_threads';
import { WATCHDOG_SOURCE } from './blocked-loop-worker.js';

/** A step body with a timeout, as the watchdog sees it. */
export interface WatchedStep {
  readonly runId: string;
  readonly nodeId: string;
  readonly timeoutMs: number;
  /**
   * Records the step `timed_out` with this message and ends its run; called on the main thread once
   * the blocking code was stopped, just before the process ends.
   */
  readonly record: (message: string) => Promise<void>;
}

/** How long the event loop may stay blocked past a step's deadline (`STRATA_TIMEOUT_GRACE_MS`). */
function graceMs(): number {
  const raw = Number(process.env.STRATA_TIMEOUT_GRACE_MS);
  return Number.isInteger(raw) && raw >= 100 ? raw : 1000;
}

/** How long recording may take before the process ends anyway. */
const RECORD_LIMIT_MS = 5000;

export function blockedStepMessage(
  step: Pick<WatchedStep, 'nodeId' | 'timeoutMs'>,
  blockedMs?: number,
): string {
  const blocked = blockedMs === undefined ? '' : ` (the event loop was blocked for ${blockedMs} ms)`;
  return (
    `step "${step.nodeId}" ran past its timeoutMs of ${step.timeoutMs} ms without yielding${blocked}, ` +
    'so Strata stopped this process and recorded the step timed_out. Run the step where it can be stopped ' +
    '(`--isolation process` on the local orchestrator, or a Docker stack), or let its loop yield (`await` between chunks of work)'
  );
}

/**
 * Whether a step row's error says the watchdog stopped it: an executor retrying the step (a Temporal
 * activity whose worker the watchdog ended) must not run it again, or it would stop every worker in turn.
 */
export function stoppedByWatchdog(
  row: { readonly status: string; readonly error?: string | null } | undefined,
): boolean {
  return row?.status === 'timed_out' && (row.error ?? '').includes(' without yielding');
}

/**
 * Stops steps that overrun their `timeoutMs` without yielding. A step in process shares the event loop
 * with everything else in it, so a plain timer cannot stop a synchronous loop; a watchdog thread sees
 * the loop blocked past a step's deadline (plus a grace) and stops the blocking code. The code stopped
 * is arbitrary (whatever hogs the loop, and V8 drops the promise jobs queued with it), so the process
 * does not go on: every overdue step is recorded `timed_out` with what to do, its run ends, and the
 * process exits 1 (docs/reliability.md, "Timeouts that hold"). Nothing is started for steps without a
 * timeout.
 */
class BlockedLoopWatchdog {
  private worker: Worker | undefined;
  private readonly clock = new Int32Array(new SharedArrayBuffer(4));
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
    this.thread().postMessage({
      type: 'arm',
      key,
      deadline: Date.now() + step.timeoutMs,
      message: `run ${step.runId}: ${blockedStepMessage(step)}`,
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

  private stamp(): void {
    Atomics.store(this.clock, 0, Date.now() - this.base);
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const grace = graceMs();
    const worker = new Worker(WATCHDOG_SOURCE, {
      eval: true,
      workerData: {
        clock: this.clock.buffer,
        base: this.base,
        graceMs: grace,
        killAfterMs: RECORD_LIMIT_MS * 2,
      },
      // The thread needs none of the step's stdio, env or argv.
      stdout: false,
      stderr: false,
    });
    worker.unref();
    worker.on('message', (m: { type: string; keys: number[]; blockedMs: number }) => {
      if (m.type === 'blocked') void this.stop(m.keys, m.blockedMs);
    });
    // A watchdog that cannot start must not take the run down with it; timers still stop yielding code.
    worker.on('error', () => undefined);
    this.worker = worker;
    return worker;
  }

  private async stop(keys: readonly number[], blockedMs: number): Promise<void> {
    const overdue = keys.flatMap((k) => this.steps.get(k) ?? []);
    const messages = overdue.map((s) => blockedStepMessage(s, blockedMs));
    // The CLI's own lines may not have been printed yet (it shares the blocked loop): name the run here.
    process.stderr.write(overdue.map((s, i) => `strata: run ${s.runId}: ${messages[i]}\n`).join(''));
    const recorded = Promise.all(overdue.map((s, i) => s.record(messages[i]!).catch(() => undefined)));
    await Promise.race([recorded, new Promise((r) => setTimeout(r, RECORD_LIMIT_MS))]);
    process.exit(1);
  }
}

let watchdog: BlockedLoopWatchdog | undefined;

/** Arms the process's watchdog for a step body with a timeout; call the result when the body settles. */
export function watchBlockedLoop(step: WatchedStep): () => void {
  watchdog ??= new BlockedLoopWatchdog();
  return watchdog.arm(step);
}
