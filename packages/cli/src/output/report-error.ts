import { isStrataError } from '@strata/core';

/** Prints one clear line (plus the fix) for user errors; stack traces only with --debug. Returns the exit code. */
export function reportError(error: unknown, debug: boolean): number {
  if (isStrataError(error)) {
    process.stderr.write(`error: ${error.describe()}\n`);
    if (debug && error.stack) process.stderr.write(`${error.stack}\n`);
    return 2;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`error: ${message}\n`);
  if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  else process.stderr.write('  (run with --debug for the stack trace)\n');
  return 1;
}
