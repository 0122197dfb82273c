import type { MetadataStore } from '../metadata/metadata-store.js';
import type { LogLevel, LogLine } from '../metadata/records.js';
import type { StepLogger } from '../step/step-context.js';

/**
 * Seqs per execution of a step (see StepTask.execution): execution N logs from (N-1) * SEQ_BLOCK + 1.
 * A block holds more lines than the per-step byte limit allows (each line counts at least one byte),
 * and 2^31 / SEQ_BLOCK = 1024 executions fit in PostgreSQL's 32-bit integer column.
 */
export const SEQ_BLOCK = 2 ** 21;

/** The first seq of an execution, minus one. */
export function seqBase(execution: number | undefined): number {
  const n = Math.min(1024, Math.max(1, Math.floor(execution ?? 1)));
  return (n - 1) * SEQ_BLOCK;
}

/**
 * Buffers a step's log lines and flushes them in batches (at the end, and every `flushMs` for long
 * steps so `runs logs --follow` sees them), echoing each line to an optional live sink.
 */
export class BufferedStepLogger implements StepLogger {
  private buffer: LogLine[] = [];
  private seq = 0;
  private timer: NodeJS.Timeout | undefined;
  /** The last flush under way or done; undefined until the first (most steps log nothing). */
  private flushing: Promise<void> | undefined;
  private closed = false;
  private storedBytes = 0;
  private dropped = { lines: 0, bytes: 0 };
  /** Read on the first line (most steps log none; reading process.env per step was not free). */
  #maxBytes: number | undefined;

  constructor(
    private readonly store: MetadataStore,
    private readonly stepRunId: string,
    private readonly echo?: (line: LogLine) => void,
    private readonly flushMs = 1000,
    startSeq = 0,
  ) {
    this.seq = startSeq;
  }

  debug(message: string) {
    this.add('debug', message);
  }
  info(message: string) {
    this.add('info', message);
  }
  warn(message: string) {
    this.add('warn', message);
  }
  error(message: string) {
    this.add('error', message);
  }

  private get maxBytes(): number {
    this.#maxBytes ??= stepLogMaxBytes();
    return this.#maxBytes;
  }

  add(level: LogLevel, message: string) {
    // A step that outlives its end (a timed-out body that logs later) must not write to the store.
    if (this.closed) return;
    // Bounded per step: past the limit lines are counted, and summarized in one line at the end.
    // Each line counts at least one byte, so an execution never needs more than SEQ_BLOCK seqs.
    const cost = message.length + 1;
    if (this.storedBytes + cost > this.maxBytes) {
      this.dropped.lines++;
      this.dropped.bytes += message.length;
      return;
    }
    this.storedBytes += cost;
    const line = { stepRunId: this.stepRunId, seq: ++this.seq, at: Date.now(), level, message };
    this.buffer.push(line);
    this.echo?.(line);
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.flushMs);
  }

  /** Resolves once every line added so far is stored (after the flushes before it, in order). */
  flush(): Promise<void> {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    // Nothing new (most steps log nothing): wait for the flushes already under way, if any.
    if (this.buffer.length === 0) return this.flushing ?? SETTLED;
    const lines = this.buffer;
    this.buffer = [];
    this.flushing = (this.flushing ?? SETTLED).then(() => this.store.appendLogs(lines));
    return this.flushing;
  }

  /** True while no line was ever added (nothing to flush or wait for: the caller need not await). */
  get untouched(): boolean {
    return this.buffer.length === 0 && this.flushing === undefined && this.dropped.lines === 0;
  }

  /**
   * Flushes what is buffered (with the summary of lines past the limit) and drops every later line.
   * Undefined when there was nothing to flush (closed at once).
   */
  close(): Promise<void> | undefined {
    if (this.closed) return undefined;
    if (this.untouched) {
      this.closed = true;
      return undefined;
    }
    return this.#closeFlushing();
  }

  async #closeFlushing(): Promise<void> {
    if (this.dropped.lines > 0) {
      const { lines, bytes } = this.dropped;
      this.buffer.push({
        stepRunId: this.stepRunId,
        seq: ++this.seq,
        at: Date.now(),
        level: 'warn',
        message: `${lines} more log lines (${bytes} bytes) not stored: the per-step limit is ${this.maxBytes} bytes (STRATA_STEP_LOG_MAX_BYTES)`,
      });
    }
    this.closed = true;
    await this.flush().catch(() => undefined);
  }
}

const SETTLED = Promise.resolve();

/** STRATA_STEP_LOG_MAX_BYTES: log text stored per step run (default 1 MiB). */
function stepLogMaxBytes(): number {
  const raw = Number(process.env.STRATA_STEP_LOG_MAX_BYTES);
  return Number.isInteger(raw) && raw > 0 ? raw : 1024 * 1024;
}
