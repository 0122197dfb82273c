/**
 * `node step-entry.js --run ID --step NODE [--index I] [--no-cache] [--resumed-from RUN]`: runs one
 * step of a recorded run in this process. The local orchestrator's process isolation, Docker
 * containers and Temporal workers all start steps this way. Exit code 0 = completed or cached.
 */
import { parseArgs } from 'node:util';
import { isStrataError } from '@strata/core';
import { runStepEntry, watchUndeclaredReads } from '@strata/core/plugin';
import { openStack } from './open-project.js';

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
  process.stderr.write('usage: step-entry --run ID --step NODE [--index I]\n');
  process.exit(2);
}

// Started by a local orchestrator with an IPC channel: when that process dies (kill -9), the channel
// closes and this step exits too, instead of finishing a step of a run readers already found crashed.
if (process.connected) {
  process.on('disconnect', () => process.exit(137));
  process.channel?.unref();
}

// A step process runs one step: files its body reads that are not declared sources are reported.
watchUndeclaredReads();

const stack = await openStack(values.stack === undefined ? {} : { stack: values.stack });
const controller = new AbortController();
process.once('SIGTERM', () => controller.abort(new Error('step process terminated')));
try {
  // Tells the local orchestrator's watchdog that start-up is over: the step's timeout runs from here.
  process.send?.({ type: 'strata:step-started' });
  const outcome = await runStepEntry(
    stack,
    {
      runId: values.run,
      nodeId: values.step,
      mapIndex: Number(values.index),
      noCache: values['no-cache'],
      resumedFrom: values['resumed-from'] ?? null,
    },
    controller.signal,
  );
  process.exitCode =
    outcome.status === 'completed' || outcome.status === 'cached' || outcome.status === 'skipped' ? 0 : 1;
} catch (error) {
  process.stderr.write(`${isStrataError(error) ? error.describe() : String(error)}\n`);
  process.exitCode = 1;
} finally {
  await stack.close();
}
