/**
 * The watchdog thread's program, kept as source text so that it runs from any build (a bundled CLI has
 * no worker file beside it). It judges the main thread blocked when the clock the main thread stamps
 * every 100 ms is older than the grace, and fires only for steps that are past their deadline too.
 * Then it has the main thread run the watchdog's handler through the inspector (`Runtime.evaluate`
 * runs as a V8 interrupt, in the middle of the blocking code): the handler records the stop and ends
 * the process at once. Stopping the blocking code instead (`Runtime.terminateExecution`) is not safe:
 * Node aborts when the stopped code ran inside a native callback (an fs or Temporal completion).
 * With a recorder installed (BlockedStepRecorder, imported as the thread starts), the thread writes
 * the stopped steps to the store while the main thread waits in the handler, then lets it end.
 * If the main thread does not end the process (blocked in native code, where no interrupt runs), the
 * thread prints the reason and kills it: the run's owner is then gone and the next reader records it.
 */
export const WATCHDOG_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { writeSync } = require('node:fs');
const clock = new Int32Array(workerData.clock);
const recorded = new Int32Array(workerData.recorded);
const steps = new Map();
let fired = false;
let recorder;
// Spelled out of pieces: the package bundler rewrites every dynamic-import call in a bundle's text to
// its own helper, which this thread does not have (and the compile cache skips files that keep one).
const load = new Function('url', 'return im' + 'port(url)');
parentPort.on('message', (m) => {
  if (m.type === 'arm') steps.set(m.key, m);
  else if (m.type === 'recorder') {
    recorder = m.recorder && { data: m.recorder.data, loaded: load(m.recorder.module) };
    if (recorder) recorder.loaded.catch(() => undefined);
  } else steps.delete(m.key);
});
async function record(words) {
  if (!recorder) return;
  const { recordStoppedSteps } = await recorder.loaded;
  await recordStoppedSteps(recorder.data, words);
}
setInterval(() => {
  if (fired || steps.size === 0) return;
  const now = Date.now();
  const blockedMs = now - (workerData.base + Atomics.load(clock, 0));
  if (blockedMs < workerData.graceMs) return;
  const overdue = [...steps.values()].filter((s) => s.deadline + workerData.graceMs <= now);
  if (overdue.length === 0) return;
  fired = true;
  try {
    const { Session } = require('node:inspector');
    const session = new Session();
    session.connectToMainThread();
    const call = 'globalThis[Symbol.for("strata.blockedLoop")](' + JSON.stringify(overdue.map((s) => s.key)) + ',' + blockedMs + ')';
    session.post('Runtime.evaluate', { expression: call });
  } catch {}
  const bound = new Promise((resolve) => setTimeout(resolve, workerData.recordWithinMs));
  Promise.race([
    record(overdue.map((s) => s.word)).catch((e) => {
      writeSync(2, 'strata: could not record the stopped step in the metadata store: ' + (e && e.message) + '\\n');
    }),
    bound,
  ]).finally(() => {
    Atomics.store(recorded, 0, 1);
    Atomics.notify(recorded, 0);
    setTimeout(() => {
      writeSync(2, 'strata: ' + overdue[0].message + '\\n');
      process.kill(process.pid, 'SIGKILL');
    }, workerData.killAfterMs);
  });
}, 100);
`;
