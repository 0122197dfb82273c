/**
 * Marks a step run `running` only once it has been going for `delayMs`. Most steps of a pipeline
 * finish sooner and are then written once, complete (with their start time, attempt and cache
 * fields), which halves the write transactions of a trivial step. A step that is still going gets
 * its `running` row, so progress views and other processes see it. A crash before the mark leaves
 * the row `pending`, which resume and every orchestrator treat like `running`.
 *
 * The marks waiting for their delay share one timer per delay (MarkQueue): a timer set and cleared
 * per step was a measurable part of a trivial step's cost.
 */
export class RunningMark {
  #queue: MarkQueue | undefined;
  #write: Promise<void> | undefined;
  /** When the mark is written (Date.now() time), while it waits in a queue. */
  due = 0;

  constructor(
    private readonly write: () => Promise<void>,
    delayMs: number,
  ) {
    if (delayMs <= 0) this.start();
    else {
      this.due = Date.now() + delayMs;
      this.#queue = queueFor(delayMs);
      this.#queue.add(this);
    }
  }

  /** Writes the mark (the queue calls it once the delay is over). */
  start(): void {
    this.#queue = undefined;
    // Progress only: a failing store fails the completion write that follows, with its own error.
    this.#write = this.write().catch(() => undefined);
  }

  /**
   * Cancels a mark not yet written, or waits for one in flight, so that it can never land after
   * (and overwrite) the final status on a database with several connections.
   */
  settle(): Promise<void> {
    return this.settleNow() ?? SETTLED;
  }

  /** settle(), but undefined when no write was started (the usual case: nothing to wait for). */
  settleNow(): Promise<void> | undefined {
    this.#queue?.delete(this);
    this.#queue = undefined;
    return this.#write;
  }
}

/**
 * The marks of one delay, in the order they fall due (the order they were added, as the delay is the
 * same), behind one timer. The timer holds the process open only while a mark waits (ref/unref, not a
 * new timer per step); when it fires it writes the marks that are due and waits for the next one.
 */
class MarkQueue {
  readonly #marks = new Set<RunningMark>();
  #timer: NodeJS.Timeout | undefined;
  /** When the timer fires, if it is set. */
  #timerDue = 0;

  add(mark: RunningMark): void {
    this.#marks.add(mark);
    if (this.#timer === undefined) this.#arm(mark.due);
    else if (this.#marks.size === 1) {
      // The timer was left to run out with no mark waiting: keep it if it fires in time (one long
      // overdue, e.g. set under a test's fake clock, is replaced).
      if (this.#timerDue > mark.due || this.#timerDue < Date.now() - 1000) {
        clearTimeout(this.#timer);
        this.#arm(mark.due);
      } else this.#timer.ref();
    }
  }

  delete(mark: RunningMark): void {
    this.#marks.delete(mark);
    // Not cleared: the next step's mark most likely reuses it. It no longer keeps the process alive.
    if (this.#marks.size === 0) this.#timer?.unref();
  }

  #arm(due: number): void {
    this.#timerDue = due;
    this.#timer = setTimeout(() => this.#fire(), Math.max(0, due - Date.now()));
  }

  #fire(): void {
    this.#timer = undefined;
    const now = Date.now();
    for (const mark of this.#marks) {
      if (mark.due > now) {
        this.#arm(mark.due);
        return;
      }
      this.#marks.delete(mark);
      mark.start();
    }
  }
}

const SETTLED = Promise.resolve();

const queues = new Map<number, MarkQueue>();

function queueFor(delayMs: number): MarkQueue {
  let queue = queues.get(delayMs);
  if (!queue) {
    queue = new MarkQueue();
    queues.set(delayMs, queue);
  }
  return queue;
}
