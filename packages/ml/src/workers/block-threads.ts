import { Worker } from 'node:worker_threads';
import type { BlockTeam } from '../models/gbdt/block-team.js';
import { serialTeam } from '../models/gbdt/block-team.js';
import { type BlockState, blockTaskSource, runBlockTask } from '../models/gbdt/row-blocks.js';

/** More threads than this rarely help: the per-row passes are memory-bound. */
export const MAX_FIT_THREADS = 8;
/** How long to wait for a task a helper took to finish. */
const HELPER_TIMEOUT_MS = 60_000;
/** How long to wait for the helpers to start before the first job. */
const READY_TIMEOUT_MS = 10_000;

// The control words (Int32 in shared memory), one set for all helpers.
const JOB = 0; // sequence number of the latest job; -1 asks the helpers to stop
const COUNT = 1; // tasks in the latest job
/**
 * The next task to take, tagged with the job it belongs to: `(job & 0x7fff) << 16 | task`. A
 * helper only takes a task whose tag is its job's, so one still leaving the previous job cannot
 * take a task of the next one.
 */
const NEXT = 2;
const FINISHED = 3; // tasks finished in the current job
const READY = 4; // helpers started
const FAILED = 5; // 1 when a helper's task threw
const HELPED = 6; // tasks the helpers ran, all jobs

/**
 * The helper thread: waits for a job, takes its tasks until none is left, and counts them
 * finished. It runs the task functions' source text (row-blocks.ts) with no module loading, so it
 * starts in milliseconds and needs no loader hooks (tsx) in the new thread.
 */
const HELPER_SOURCE = `
const { workerData } = require('node:worker_threads');
${blockTaskSource()}
const { state, ctrl, message } = workerData;
const scratch = new Uint32Array(state.blockRows);
Atomics.add(ctrl, ${READY}, 1);
Atomics.notify(ctrl, ${READY});
let seen = 0;
for (;;) {
  Atomics.wait(ctrl, ${JOB}, seen);
  const job = Atomics.load(ctrl, ${JOB});
  if (job < 0) break;
  if (job === seen) continue;
  seen = job;
  const tag = job & 0x7fff;
  for (;;) {
    const next = Atomics.load(ctrl, ${NEXT});
    const t = next & 0xffff;
    if (next >>> 16 !== tag || t >= Atomics.load(ctrl, ${COUNT})) break;
    if (Atomics.compareExchange(ctrl, ${NEXT}, next, next + 1) !== next) continue;
    try {
      runBlockTask(state, t, scratch);
    } catch (error) {
      const text = new TextEncoder().encode(String(error && error.stack || error)).subarray(0, message.length);
      message.set(text);
      Atomics.store(ctrl, ${FAILED}, 1);
    }
    Atomics.add(ctrl, ${HELPED}, 1);
    Atomics.add(ctrl, ${FINISHED}, 1);
    Atomics.notify(ctrl, ${FINISHED});
  }
}
`;

/** A BlockTeam that also says how many tasks its helper threads ran. */
export interface ThreadedTeam extends BlockTeam {
  readonly helperTasks: () => number;
}

/**
 * The per-row work of a fit on `threads` threads: this one and `threads - 1` helpers, all taking
 * a job's tasks as they come free. Each task works on its own blocks of rows and its own partial
 * slots, and the caller adds the slots up in task order, so the model is bit-identical for any
 * number of threads. The helpers work on the state in place: every array must be in shared
 * memory (else, or with one thread, this is the serial team). The caller blocks on Atomics while
 * helpers work, which is fine on the training worker thread it runs on.
 *
 * A task changes rows in place (a partition cannot be redone), so a helper that throws or stops
 * answering fails the fit with an error rather than being worked around.
 */
export function threadedTeam(state: BlockState, threads: number): ThreadedTeam {
  const count = Math.max(1, Math.min(Math.floor(threads), MAX_FIT_THREADS, state.blocks));
  const arrays = Object.values(state).filter((v) => ArrayBuffer.isView(v)) as ArrayBufferView[];
  const shared = arrays.every((a) => a.buffer instanceof SharedArrayBuffer);
  if (count <= 1 || !shared || state.blocks > 0xffff) {
    return { ...serialTeam(state), helperTasks: () => 0 };
  }
  const ctrl = new Int32Array(new SharedArrayBuffer(8 * 4));
  const message = new Uint8Array(new SharedArrayBuffer(2048));
  const workers: Worker[] = [];
  for (let t = 1; t < count; t++) {
    const worker = new Worker(HELPER_SOURCE, {
      eval: true,
      workerData: { state, ctrl, message },
      stdout: false,
      stderr: false,
    });
    worker.unref();
    // An error event can only arrive once this thread's event loop runs again (after the fit); a
    // helper that dies meanwhile is noticed by its silence (see run).
    worker.on('error', () => {});
    workers.push(worker);
  }
  // Wait (a little) for the helpers to start: an evaluated script starts in milliseconds, and a
  // helper that is late anyway just joins later (until then this thread runs every task).
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const ready = Atomics.load(ctrl, READY);
    if (ready >= workers.length) break;
    if (Atomics.wait(ctrl, READY, ready, Math.max(0, deadline - Date.now())) === 'timed-out') break;
  }
  const scratch = new Uint32Array(state.blockRows);
  let job = 0;
  const close = () => {
    Atomics.store(ctrl, JOB, -1);
    Atomics.notify(ctrl, JOB);
    for (const worker of workers) void worker.terminate();
  };
  return {
    threads: count,
    helperTasks: () => Atomics.load(ctrl, HELPED),
    run(tasks) {
      if (tasks < 2) {
        for (let t = 0; t < tasks; t++) runBlockTask(state, t, scratch);
        return;
      }
      job = job >= 0x7ffffffe ? 1 : job + 1;
      const tag = job & 0x7fff;
      Atomics.store(ctrl, COUNT, tasks);
      Atomics.store(ctrl, FINISHED, 0);
      Atomics.store(ctrl, NEXT, tag << 16);
      Atomics.store(ctrl, JOB, job);
      Atomics.notify(ctrl, JOB);
      // Take tasks here too, as they come free.
      for (;;) {
        const next = Atomics.load(ctrl, NEXT);
        const t = next & 0xffff;
        if (t >= tasks) break;
        if (Atomics.compareExchange(ctrl, NEXT, next, next + 1) !== next) continue;
        runBlockTask(state, t, scratch);
        Atomics.add(ctrl, FINISHED, 1);
      }
      const deadline = Date.now() + HELPER_TIMEOUT_MS;
      for (;;) {
        const finished = Atomics.load(ctrl, FINISHED);
        if (finished >= tasks) break;
        const left = deadline - Date.now();
        if (left <= 0 || Atomics.wait(ctrl, FINISHED, finished, left) === 'timed-out') {
          close();
          throw new Error(
            `gradient boosting: a helper thread did not finish its rows within ${HELPER_TIMEOUT_MS / 1000} s`,
          );
        }
      }
      if (Atomics.load(ctrl, FAILED) !== 0) {
        close();
        const text = new TextDecoder().decode(message.slice()).replace(/\0+$/, '');
        throw new Error(`gradient boosting: a helper thread failed: ${text}`);
      }
    },
    close,
  };
}
