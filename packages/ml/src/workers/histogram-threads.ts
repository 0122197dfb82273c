import { Worker } from 'node:worker_threads';
import type { BinnedMatrix } from '../models/gbdt/binning.js';
import { addHistogram, BINS, type HistogramBuilder, serialHistograms } from '../models/gbdt/histogram.js';

/** Leaves with fewer rows are built on the calling thread: waking a helper costs more than it saves. */
const MIN_PARALLEL_ROWS = 16_384;
/** More threads than this rarely help: the histograms of one leaf read the same gradient arrays. */
export const MAX_HISTOGRAM_THREADS = 8;
/** How long to wait for a helper to start, or to answer, before building its share here instead. */
const HELPER_TIMEOUT_MS = 30_000;

// A helper's control words (Int32 in shared memory).
const JOB = 0; // sequence number of the latest job; -1 asks the helper to stop
const START = 1;
const END = 2;
const DONE = 3; // sequence number of the last job done; -1 until the helper is ready
const FAILED = 4; // 1 when the helper's histogram code threw

/**
 * The helper thread: waits on its job word, adds its features' share of the rows to its own
 * histogram, and posts the job's number back. It runs addHistogram's source text, with no module
 * loading, so it starts in milliseconds and needs no loader hooks (tsx) in the new thread.
 */
const HELPER_SOURCE = `
const { workerData } = require('node:worker_threads');
const addHistogram = ${addHistogram.toString()};
const { bins, cols, index, grad, hess, hist, f0, f1, ctrl } = workerData;
Atomics.store(ctrl, ${DONE}, 0);
Atomics.notify(ctrl, ${DONE});
let seen = 0;
for (;;) {
  Atomics.wait(ctrl, ${JOB}, seen);
  const job = Atomics.load(ctrl, ${JOB});
  if (job < 0) break;
  if (job === seen) continue;
  seen = job;
  try {
    hist.fill(0);
    addHistogram(bins, cols, index, Atomics.load(ctrl, ${START}), Atomics.load(ctrl, ${END}), grad, hess, hist, f0, f1);
  } catch (error) {
    Atomics.store(ctrl, ${FAILED}, 1);
  }
  Atomics.store(ctrl, ${DONE}, job);
  Atomics.notify(ctrl, ${DONE});
}
`;

interface Helper {
  readonly worker: Worker;
  readonly ctrl: Int32Array;
  readonly hist: Float64Array;
  readonly f0: number;
  readonly f1: number;
  job: number;
  alive: boolean;
}

/** A HistogramBuilder that also says how many histograms it built on more than one thread. */
export interface ThreadedHistograms extends HistogramBuilder {
  readonly threads: number;
  readonly parallelBuilds: () => number;
}

/**
 * Histograms built on `threads` threads (this one and `threads - 1` helpers), each adding the
 * rows of the leaf for its own contiguous group of features. Every bin still receives its rows in
 * index order, so the histograms, and the model, are exactly those of the serial builder. The
 * helpers read the binned features, row index, gradients and hessians in place: all four must be
 * in shared memory (else, or with one thread, this is the serial builder). The caller blocks on
 * Atomics while helpers work, which is fine on the training worker thread it runs on.
 */
export function threadedHistograms(
  binned: BinnedMatrix,
  index: Uint32Array,
  grad: Float64Array,
  hess: Float64Array,
  threads: number,
): ThreadedHistograms {
  const { bins, cols } = binned;
  const count = Math.max(1, Math.min(Math.floor(threads), MAX_HISTOGRAM_THREADS, cols));
  const shared = [bins, index, grad, hess].every((a) => a.buffer instanceof SharedArrayBuffer);
  const serial = serialHistograms(binned);
  if (count <= 1 || !shared) return { ...serial, threads: 1, parallelBuilds: () => 0 };
  // Contiguous feature groups, the first (this thread's) as large as any other.
  const per = Math.ceil(cols / count);
  const own = per;
  const helpers: Helper[] = [];
  for (let f0 = own; f0 < cols; f0 += per) {
    const f1 = Math.min(cols, f0 + per);
    const ctrl = new Int32Array(new SharedArrayBuffer(5 * 4));
    ctrl[DONE] = -1;
    const hist = new Float64Array(new SharedArrayBuffer((f1 - f0) * BINS * 3 * 8));
    const worker = new Worker(HELPER_SOURCE, {
      eval: true,
      workerData: { bins, cols, index, grad, hess, hist, f0, f1, ctrl },
      stdout: false,
      stderr: false,
    });
    worker.unref();
    // An error event can only arrive once this thread's event loop runs again (after the fit);
    // a helper that dies meanwhile is noticed by its silence (see waitFor).
    worker.on('error', () => {});
    helpers.push({ worker, ctrl, hist, f0, f1, job: 0, alive: true });
  }
  for (const helper of helpers) {
    if (Atomics.wait(helper.ctrl, DONE, -1, HELPER_TIMEOUT_MS) === 'timed-out') helper.alive = false;
  }
  let parallel = 0;
  return {
    threads: 1 + helpers.filter((h) => h.alive).length,
    parallelBuilds: () => parallel,
    build(rowIndex, start, end, g, h, hist) {
      const live = helpers.filter((x) => x.alive);
      if (
        end - start < MIN_PARALLEL_ROWS ||
        live.length === 0 ||
        rowIndex !== index ||
        g !== grad ||
        h !== hess
      ) {
        serial.build(rowIndex, start, end, g, h, hist);
        return;
      }
      parallel++;
      for (const helper of live) {
        Atomics.store(helper.ctrl, START, start);
        Atomics.store(helper.ctrl, END, end);
        helper.job++;
        Atomics.store(helper.ctrl, JOB, helper.job);
        Atomics.notify(helper.ctrl, JOB);
      }
      addHistogram(bins, cols, index, start, end, grad, hess, hist, 0, own);
      for (const helper of helpers) {
        const offset = helper.f0 * BINS * 3;
        if (live.includes(helper) && waitFor(helper)) hist.set(helper.hist, offset);
        else {
          // A helper that failed or went silent: its features are built here from now on.
          helper.alive = false;
          addHistogram(
            bins,
            cols,
            index,
            start,
            end,
            grad,
            hess,
            hist.subarray(offset),
            helper.f0,
            helper.f1,
          );
        }
      }
    },
    close() {
      for (const helper of helpers) {
        Atomics.store(helper.ctrl, JOB, -1);
        Atomics.notify(helper.ctrl, JOB);
        void helper.worker.terminate();
      }
    },
  };
}

/** Waits for the helper's current job; false when it failed or did not answer in time. */
function waitFor(helper: Helper): boolean {
  const deadline = Date.now() + HELPER_TIMEOUT_MS;
  for (;;) {
    const done = Atomics.load(helper.ctrl, DONE);
    if (done === helper.job) return Atomics.load(helper.ctrl, FAILED) === 0;
    const left = deadline - Date.now();
    if (left <= 0) return false;
    Atomics.wait(helper.ctrl, DONE, done, left);
  }
}
