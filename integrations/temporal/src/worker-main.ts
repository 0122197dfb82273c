/**
 * `strata-temporal-worker [--stack S] [--task-queue Q] [--concurrency N]`: the same as `strata worker`
 * (both call serveWorker), for machines that run workers without the CLI. Stops cleanly on SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { StrataError } from '@strata/core';
import { serveWorker } from './serve-worker.js';

try {
  const { values } = parseArgs({
    options: { stack: { type: 'string' }, 'task-queue': { type: 'string' }, concurrency: { type: 'string' } },
  });
  await serveWorker({
    ...(values.stack === undefined ? {} : { stack: values.stack }),
    ...(values['task-queue'] === undefined ? {} : { taskQueue: values['task-queue'] }),
    ...(values.concurrency === undefined ? {} : { concurrency: values.concurrency }),
  });
} catch (error) {
  const fix = error instanceof StrataError && error.fix ? `\n  fix: ${error.fix}` : '';
  process.stderr.write(`strata worker: ${error instanceof Error ? error.message : String(error)}${fix}\n`);
  process.exitCode = 1;
}
