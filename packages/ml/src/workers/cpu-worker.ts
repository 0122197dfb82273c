// The worker thread entry: runs CPU-bound tasks (training, batch prediction) posted by
// run-in-worker.ts, so the parent's event loop keeps serving timers, heartbeats and signals.
import { parentPort } from 'node:worker_threads';
import { type CpuTask, runCpuTask } from './cpu-tasks.js';

const port = parentPort;
if (!port) throw new Error('cpu-worker.js must run as a worker thread');

port.on('message', async (task: CpuTask) => {
  try {
    let last = 0;
    const result = await runCpuTask(task, (done, total) => {
      // At most ~1 progress message per 200 ms: the parent logs them.
      const now = Date.now();
      if (done === total || now - last >= 200) {
        last = now;
        port.postMessage({ type: 'progress', done, total });
      }
    });
    const transfer: ArrayBuffer[] = [];
    if ('probabilities' in result && result.probabilities)
      transfer.push(result.probabilities.buffer as ArrayBuffer);
    if ('codes' in result && result.codes) transfer.push(result.codes.buffer as ArrayBuffer);
    port.postMessage({ type: 'result', result }, transfer);
  } catch (error) {
    const e = error as Error;
    port.postMessage({ type: 'error', message: e?.message ?? String(error), name: e?.name ?? 'Error' });
  }
});
