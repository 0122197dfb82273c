import { StrataError } from '@strata/core';
import { startWorker } from './worker.js';

/** The options of `strata worker` and `strata-temporal-worker`, as typed on the command line. */
export interface ServeWorkerFlags {
  readonly stack?: string;
  readonly taskQueue?: string;
  /** A positive integer, as text (checked here so both commands say the same). */
  readonly concurrency?: string;
  /** Project directory (default: the current one). */
  readonly cwd?: string;
}

/**
 * What both worker commands do: check the flags, start a worker for the stack, print one "ready" line
 * and poll until SIGINT/SIGTERM (the Temporal runtime's shutdown signals), which finishes the running
 * activities, then closes the connection and the stack. Errors are thrown (each command reports them).
 */
export async function serveWorker(
  flags: ServeWorkerFlags,
  out: { write(text: string): unknown } = process.stdout,
): Promise<void> {
  const concurrency = flags.concurrency === undefined ? undefined : Number(flags.concurrency);
  if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency > 0)) {
    throw new StrataError(`--concurrency must be a positive integer, got "${flags.concurrency}"`, {
      code: 'invalid_option',
      field: 'concurrency',
      value: flags.concurrency,
      fix: 'pass --concurrency 4',
    });
  }
  const worker = await startWorker({
    ...(flags.stack === undefined ? {} : { stack: flags.stack }),
    ...(flags.taskQueue === undefined ? {} : { taskQueue: flags.taskQueue }),
    ...(concurrency === undefined ? {} : { concurrency }),
    ...(flags.cwd === undefined ? {} : { cwd: flags.cwd }),
  });
  out.write(
    `strata worker ready: stack ${worker.stack.name}, task queue ${worker.taskQueue}, pid ${process.pid}\n`,
  );
  await worker.run();
  out.write(`strata worker stopped: stack ${worker.stack.name}, pid ${process.pid}\n`);
}
