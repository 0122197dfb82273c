import type { MetadataStore } from '../metadata/metadata-store.js';
import type { LogLevel, LogLine } from '../metadata/records.js';
import type { StepLogger } from '../step/step-context.js';

/**
 * Buffers a step's log lines and flushes them in batches (at the end, and every `flushMs` for long
 * steps so `runs logs --follow` sees them), echoing each line to an optional live sink.
 */
export class BufferedStepLogger implements StepLogger {
  private buffer: LogLine[] = [];
  private seq = 0;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

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

  add(level: LogLevel, message: string) {
    const line = { stepRunId: this.stepRunId, seq: ++this.seq, at: Date.now(), level, message };
    this.buffer.push(line);
    this.echo?.(line);
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.flushMs);
  }

  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const lines = this.buffer;
    this.buffer = [];
    this.flushing = this.flushing.then(() => (lines.length > 0 ? this.store.appendLogs(lines) : undefined));
    await this.flushing;
  }
}
