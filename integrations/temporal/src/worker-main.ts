/**
 * `strata-temporal-worker [--stack S] [--task-queue Q] [--concurrency N]` (what `strata worker` runs):
 * a Temporal worker for the project in the current directory. Stops cleanly on SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { StrataError } from '@strata/core';
import { startWorker } from './worker.js';

try {
  const { values } = parseArgs({
    options: { stack: { type: 'string' }, 'task-queue': { type: 'string' }, concurrency: { type: 'string' } },
  });
  const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);
  if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency > 0)) {
    throw new StrataError(`--concurrency must be a positive integer, got "${values.concurrency}"`, {
      code: 'bad_option',
      field: 'concurrency',
      value: values.concurrency,
      fix: 'pass --concurrency 4',
    });
  }
  const worker = await startWorker({
    ...(values.stack === undefined ? {} : { stack: values.stack }),
    ...(values['task-queue'] === undefined ? {} : { taskQueue: values['task-queue'] }),
    ...(concurrency === undefined ? {} : { concurrency }),
  });
  process.stdout.write(
    `strata worker ready: stack ${worker.stack.name}, task queue ${worker.taskQueue}, pid ${process.pid}\n`,
  );
  await worker.run();
} catch (error) {
  const fix = error instanceof StrataError && error.fix ? `\n  fix: ${error.fix}` : '';
  process.stderr.write(`strata worker: ${error instanceof Error ? error.message : String(error)}${fix}\n`);
  process.exitCode = 1;
}
