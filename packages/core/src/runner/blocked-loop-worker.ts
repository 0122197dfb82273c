/**
 * The watchdog thread's program, kept as source text so that it runs from any build (a bundled CLI has
 * no worker file beside it). It judges the main thread blocked when the clock the main thread stamps
 * every 100 ms is older than the grace, and fires only for steps that are past their deadline too:
 * then it tells the main thread which steps overran and stops the JavaScript blocking it through the
 * inspector (`Runtime.terminateExecution`), so the main thread can record the steps and end the process.
 * If the main thread does not end the process (blocked in native code), the thread prints the reason
 * and kills it: the run's owner is then gone and the next reader records the run `crashed`.
 */
export const WATCHDOG_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { writeSync } = require('node:fs');
const clock = new Int32Array(workerData.clock);
const steps = new Map();
let fired = false;
parentPort.on('message', (m) => {
  if (m.type === 'arm') steps.set(m.key, m);
  else steps.delete(m.key);
});
setInterval(() => {
  if (fired || steps.size === 0) return;
  const now = Date.now();
  const blockedMs = now - (workerData.base + Atomics.load(clock, 0));
  if (blockedMs < workerData.graceMs) return;
  const overdue = [...steps.values()].filter((s) => s.deadline + workerData.graceMs <= now);
  if (overdue.length === 0) return;
  fired = true;
  parentPort.postMessage({ type: 'blocked', keys: overdue.map((s) => s.key), blockedMs });
  try {
    const { Session } = require('node:inspector');
    const session = new Session();
    session.connectToMainThread();
    // Disconnected once done: a session still connected at exit makes Node print "Waiting for the debugger".
    session.post('Runtime.terminateExecution', () => session.disconnect());
  } catch {}
  setTimeout(() => {
    writeSync(2, 'strata: ' + overdue[0].message + '\\n');
    process.kill(process.pid, 'SIGKILL');
  }, workerData.killAfterMs);
}, 100);
`;
