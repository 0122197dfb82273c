/**
 * Exit codes (documented in docs/cli.md):
 *   0 success · 1 the run (or resumed run) finished failed or cancelled · 2 bad input: a StrataError or a
 *   usage error; nothing was changed · 3 an unexpected internal error (a bug: run with --debug).
 */
export const EXIT = { ok: 0, runFailed: 1, badInput: 2, internal: 3 } as const;

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

/** Prints one clear message (plus the fix) for user errors; stack traces only with --debug. Returns the exit code. */
export function reportError(error: unknown, debug: boolean): number {
  if (isStrataError(error)) {
    process.stderr.write(`error: ${error.describe()}\n`);
    if (debug && error.stack) process.stderr.write(`${error.stack}\n`);
    return EXIT.badInput;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`error: ${message}\n`);
  if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  else process.stderr.write('  (an unexpected error; run with --debug for the stack trace)\n');
  return EXIT.internal;
}
