/**
 * `node step-entry.js --run ID --step NODE [--index I] [--stack S] [--no-cache] [--resumed-from RUN]`:
 * runs one step of a recorded run in this process. The local orchestrator's process isolation and
 * Docker containers start steps this way (arguments: core's stepEntryArgs); Temporal workers call the
 * same runStepEntry in their activities. Exit code 0 = completed, cached or skipped; 1 = the step did
 * not succeed or the run was refused (another stack's run); 2 = usage.
 *
 * Signals, the same everywhere: SIGTERM or SIGINT (`docker stop`, a cancel, Ctrl-C) abort the step's
 * signal, so the step records `cancelled` with its logs; a second signal exits at once.
 */
import { parseArgs } from 'node:util';
import { isStrataError } from '@strata/core';
import { runStepEntry, watchUndeclaredReads } from '@strata/core/plugin';
import { openStack } from './open-project.js';
import { resolveStrataImportsFromRunningStrata } from './strata-imports.js';

const { values } = parseArgs({
  options: {
    run: { type: 'string' },
    step: { type: 'string' },
    index: { type: 'string', default: '-1' },
    'no-cache': { type: 'boolean', default: false },
    'resumed-from': { type: 'string' },
    stack: { type: 'string' },
  },
});

if (!values.run || !values.step) {
  process.stderr.write('usage: step-entry --run ID --step NODE [--index I] [--stack S]\n');
  process.exit(2);
}

// Started by a local orchestrator with an IPC channel: when that process dies (kill -9), the channel
// closes and this step exits too, instead of finishing a step of a run readers already found crashed.
if (process.connected) {
  process.on('disconnect', () => process.exit(137));
  process.channel?.unref();
}

// A project without Strata's packages installed imports the running Strata's (README, "Your own project").
resolveStrataImportsFromRunningStrata();

// Files a step body reads that are not declared sources are reported (the runner installs the watcher
// too; here it is in place before the pipeline module and its dependencies load).
watchUndeclaredReads();

const controller = new AbortController();
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (controller.signal.aborted) process.exit(signal === 'SIGTERM' ? 143 : 130);
    controller.abort(new Error(`step process received ${signal}`));
  });
}
/** The step itself (no top-level await: this entry is also in the package's CommonJS bundle). */
async function runStep(run: string, step: string): Promise<void> {
  // The run's own stack (named by the submitter): a run of another stack is refused by runStepEntry.
  const stack = await openStack(values.stack === undefined ? {} : { stack: values.stack });
  try {
    // Tells the local orchestrator's watchdog that start-up is over: the step's timeout runs from here.
    process.send?.({ type: 'strata:step-started' });
    const outcome = await runStepEntry(
      stack,
      {
        runId: run,
        nodeId: step,
        mapIndex: Number(values.index),
        noCache: values['no-cache'],
        resumedFrom: values['resumed-from'] ?? null,
      },
      { signal: controller.signal },
    );
    process.exitCode =
      outcome.status === 'completed' || outcome.status === 'cached' || outcome.status === 'skipped' ? 0 : 1;
  } catch (error) {
    process.stderr.write(`${isStrataError(error) ? error.describe() : String(error)}\n`);
    process.exitCode = 1;
  } finally {
    await stack.close();
  }
}

runStep(values.run, values.step).catch((error: unknown) => {
  process.stderr.write(`${isStrataError(error) ? error.describe() : String(error)}\n`);
  process.exitCode = 1;
});
