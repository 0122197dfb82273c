import { environmentError } from './environment-error.js';

/**
 * Exit codes (documented in docs/cli.md):
 *   0 success · 1 the run (or resumed run) finished failed, cancelled, crashed or timed out · 2 bad input
 *   or environment: a StrataError, a usage error, or a fault of the machine (port in use, disk full,
 *   missing folder, locked database); nothing was changed · 3 an unexpected internal error (a bug: run
 *   with --debug) · 130/143 interrupted by SIGINT/SIGTERM (the run was cancelled).
 */
export const EXIT = { ok: 0, runFailed: 1, badInput: 2, internal: 3, sigint: 130, sigterm: 143 } as const;

interface DescribedError extends Error {
  readonly code: string;
  describe(): string;
}

// Duck-typed instead of importing @strata/core: the error path must not load the SDK either.
function isStrataError(error: unknown): error is DescribedError {
  return (
    error instanceof Error &&
    typeof (error as Partial<DescribedError>).code === 'string' &&
    typeof (error as Partial<DescribedError>).describe === 'function'
  );
}

/** Strata errors wrap the system error that caused them; the innermost fault names the real problem. */
function causes(error: unknown): unknown[] {
  const out: unknown[] = [];
  for (let e = error, depth = 0; e !== undefined && e !== null && depth < 8; depth++) {
    out.push(e);
    e = e instanceof Error ? e.cause : undefined;
  }
  return out;
}

/** Prints one clear message (plus the fix) for user errors; stack traces only with --debug. Returns the exit code. */
export function reportError(error: unknown, debug: boolean): number {
  // A Strata error's own frames are Strata's; the user's line (an import that threw, a bad config
  // read) is in what it wraps, so --debug prints every cause's trace too.
  const trace = () => {
    if (!debug) return;
    causes(error).forEach((e, i) => {
      if (e instanceof Error && e.stack) process.stderr.write(`${i === 0 ? '' : 'caused by: '}${e.stack}\n`);
    });
  };
  if (isStrataError(error)) {
    process.stderr.write(`error: ${error.describe()}\n`);
    trace();
    return EXIT.badInput;
  }
  for (const e of causes(error)) {
    const environment = environmentError(e);
    if (environment) {
      process.stderr.write(`error: ${environment.message}\n  fix: ${environment.fix}\n`);
      trace();
      return EXIT.badInput;
    }
  }
  if (!(error instanceof Error)) {
    // Only user code throws non-Error values (`throw "boom"`, `throw null`); Strata always throws Errors.
    process.stderr.write(
      `error: user code threw a non-Error value: ${describeValue(error)}\n  fix: throw an Error (throw new Error('...')) so the failure carries a message and a stack\n`,
    );
    return EXIT.badInput;
  }
  process.stderr.write(`error: ${error.message}\n`);
  if (debug) trace();
  else process.stderr.write('  (an unexpected error; run with --debug for the stack trace)\n');
  return EXIT.internal;
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 200));
  try {
    return String(JSON.stringify(value) ?? value).slice(0, 200);
  } catch {
    return String(value);
  }
}
