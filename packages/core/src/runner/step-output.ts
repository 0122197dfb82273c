import { format } from 'node:util';
import type { LogLevel } from '../metadata/records.js';
import { currentStepScope, runInStepScope, sessionBegun, sessionEnded } from './step-scope.js';

/** Where a step body's console and stdout/stderr go: its own log lines. */
export interface OutputSink {
  add(level: LogLevel, message: string): void;
}

/** One step execution's output, from begin() until end(); later output (a leaked timer) passes through. */
export class OutputSession {
  open = true;
  private readonly partial: Record<'stdout' | 'stderr', string> = { stdout: '', stderr: '' };

  constructor(
    private readonly sink: OutputSink,
    /** Also print to the real stream (when no live echo of the step's log lines shows them). */
    readonly passThrough: boolean,
  ) {
    sessionBegun();
  }

  /**
   * Runs the step body: its console calls and stream writes (callbacks, promises, timers) are this step's.
   * (The step runner enters one scope with this and the read session at once: step-scope.ts.)
   */
  run<T>(body: () => T): T {
    return runInStepScope({ ...currentStepScope(), output: this }, body);
  }

  line(level: LogLevel, text: string): void {
    for (const line of text.split('\n')) this.sink.add(level, line);
  }

  write(stream: 'stdout' | 'stderr', chunk: string): void {
    const text = this.partial[stream] + chunk;
    const cut = text.lastIndexOf('\n');
    this.partial[stream] = text.slice(cut + 1);
    if (cut >= 0) this.line(stream === 'stdout' ? 'info' : 'warn', text.slice(0, cut));
  }

  /** Stores an unterminated last line and stops capturing. */
  end(): void {
    if (!this.open) return;
    for (const stream of ['stdout', 'stderr'] as const)
      if (this.partial[stream]) this.line(stream === 'stdout' ? 'info' : 'warn', this.partial[stream]);
    this.open = false;
    sessionEnded();
  }
}

const LEVELS: Record<string, LogLevel> = {
  log: 'info',
  info: 'info',
  debug: 'debug',
  warn: 'warn',
  error: 'error',
  trace: 'error',
};

/**
 * Stores what a step body prints (`console.*`, `process.stdout.write`, `process.stderr.write`) as its
 * log lines, on every orchestrator: installed once in each process that runs step bodies (the CLI for
 * in-process steps, step processes, Docker containers, Temporal workers). Output is attributed to the
 * step whose body made it through an AsyncLocalStorage entered around that body, so steps running at
 * once in one process are told apart; output of anything else goes to the stream as before. The
 * storage (step-scope.ts, shared with the read watcher) is disabled while no body runs (on Node 20 an
 * enabled one taxes every promise).
 */
export class OutputCapture {
  /** Set while a captured line is delivered or passed through, so it is not captured again. */
  private delivering = false;

  install(): void {
    const self = this;
    const target = console as unknown as Record<string, (...args: unknown[]) => void>;
    for (const [name, level] of Object.entries(LEVELS)) {
      const original = target[name];
      if (typeof original !== 'function') continue;
      target[name] = function (this: unknown, ...args: unknown[]) {
        const session = self.current();
        if (!session) return original.apply(this, args);
        self.deliver(() => session.line(level, format(...args)));
        if (session.passThrough) self.deliver(() => original.apply(this, args));
      };
    }
    for (const name of ['stdout', 'stderr'] as const) {
      const stream = process[name];
      const original = stream.write;
      stream.write = function (this: unknown, chunk: unknown, ...rest: unknown[]) {
        const session = self.current();
        if (!session) return (original as (...a: unknown[]) => boolean).apply(this, [chunk, ...rest]);
        const text =
          typeof chunk === 'string'
            ? chunk
            : Buffer.isBuffer(chunk) || chunk instanceof Uint8Array
              ? Buffer.from(chunk).toString('utf8')
              : String(chunk);
        self.deliver(() => session.write(name, text));
        if (session.passThrough)
          return self.deliver(() => (original as (...a: unknown[]) => boolean).apply(this, [chunk, ...rest]));
        const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
        if (callback) queueMicrotask(callback);
        return true;
      } as typeof stream.write;
    }
  }

  /** Starts capturing one step execution; run its body through the session's run(). */
  begin(sink: OutputSink, passThrough: boolean): OutputSession {
    return new OutputSession(sink, passThrough);
  }

  private current(): OutputSession | undefined {
    if (this.delivering) return undefined;
    const session = currentStepScope()?.output as OutputSession | undefined;
    return session?.open ? session : undefined;
  }

  private deliver<T>(work: () => T): T {
    this.delivering = true;
    try {
      return work();
    } finally {
      this.delivering = false;
    }
  }
}

let installed: OutputCapture | undefined;

/** Installs the capture in this process, once (every process that runs step bodies). */
export function captureStepOutput(): OutputCapture {
  if (!installed) {
    installed = new OutputCapture();
    installed.install();
  }
  return installed;
}
