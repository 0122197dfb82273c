import type { ChangeCursor, ChangeRecord, ServerStore } from '@strata/metadata';
import { compareCursor, parseChangeCursor } from '@strata/metadata';

const BATCH = 500;
/** A subscriber further behind than this is cut off; it reconnects with Last-Event-ID and catches up. */
const MAX_QUEUE = 10_000;

export interface Subscription {
  /** Where the subscription starts (Last-Event-ID, or the head when it had none): the stream's first id. */
  readonly start: string;
  close(): void;
}

interface Subscriber {
  deliver(change: ChangeRecord): void;
  /** Live changes queued while the subscriber catches up from the table. */
  pending: ChangeRecord[] | undefined;
  last: ChangeCursor;
}

/**
 * One poller per server reads the `changes` table (filled by triggers, so every writer feeds it) and
 * fans rows out to SSE subscribers. On PostgreSQL a NOTIFY wakes it at once and a slower timer covers
 * a dropped LISTEN connection; on SQLite it polls (one indexed `seq >` query). A subscriber that
 * resumes from an event id first reads the rows after it from the table, while live rows queue, then
 * drains the queue skipping what it already sent: nothing is missed and nothing is sent twice.
 */
export class ChangeFeed {
  readonly #subscribers = new Set<Subscriber>();
  #head: ChangeCursor = [0n, 0n];
  #timer: NodeJS.Timeout | undefined;
  #polling: Promise<void> | undefined;
  #again = false;
  #stopListen: (() => Promise<void>) | undefined;
  #closed = false;

  constructor(
    private readonly store: ServerStore,
    private readonly options: { pollMs: number; onError: (error: unknown) => void },
  ) {}

  get dialect(): 'sqlite' | 'postgres' {
    return this.store.changes.dialect;
  }

  async start(): Promise<void> {
    this.#head = await this.store.changes.head();
    if (this.store.listen) this.#stopListen = await this.store.listen(() => this.poke());
    this.#schedule();
  }

  #schedule(): void {
    if (this.#closed) return;
    this.#timer = setTimeout(() => this.poke(), this.options.pollMs);
    this.#timer.unref?.();
  }

  /** Read new rows now (a NOTIFY arrived, or the timer fired). */
  poke(): void {
    if (this.#closed) return;
    if (this.#polling) {
      this.#again = true;
      return;
    }
    clearTimeout(this.#timer);
    this.#polling = this.#poll()
      .catch((error) => this.options.onError(error))
      .finally(() => {
        this.#polling = undefined;
        if (this.#again) {
          this.#again = false;
          this.poke();
        } else this.#schedule();
      });
  }

  async #poll(): Promise<void> {
    for (;;) {
      const rows = await this.store.changes.after(this.#head, BATCH);
      for (const row of rows) {
        this.#head = parseChangeCursor(row.cursor, this.dialect);
        for (const s of this.#subscribers) {
          if (s.pending) s.pending.push(row);
          else s.deliver(row);
        }
      }
      if (rows.length < BATCH) return;
    }
  }

  /**
   * Calls `deliver` with every change after `from` (an event id) or, without it, after the current
   * head, in order, until close(). `deliver` must not throw.
   */
  async subscribe(
    from: string | undefined,
    deliver: (change: ChangeRecord) => void,
    onOverflow: () => void,
  ): Promise<Subscription> {
    const start = from === undefined ? this.#head : parseChangeCursor(from, this.dialect);
    const sub: Subscriber = {
      pending: [],
      last: start,
      deliver: (change) => {
        const key = parseChangeCursor(change.cursor, this.dialect);
        if (compareCursor(key, sub.last) <= 0) return;
        sub.last = key;
        deliver(change);
      },
    };
    this.#subscribers.add(sub);
    try {
      for (;;) {
        const rows = await this.store.changes.after(sub.last, BATCH);
        for (const row of rows) sub.deliver(row);
        if ((sub.pending?.length ?? 0) > MAX_QUEUE) {
          onOverflow();
          break;
        }
        if (rows.length < BATCH) break;
      }
    } catch (error) {
      this.#subscribers.delete(sub);
      throw error;
    }
    const queued = sub.pending ?? [];
    sub.pending = undefined;
    for (const row of queued) sub.deliver(row);
    return {
      // Not the caught-up position: a client that drops before the catch-up rows are written must
      // resume from where it asked to start.
      start: this.store.changes.formatCursor(start),
      close: () => this.#subscribers.delete(sub),
    };
  }

  get subscribers(): number {
    return this.#subscribers.size;
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#subscribers.clear();
    await this.#polling;
    await this.#stopListen?.();
  }
}
