import { Worker } from 'node:worker_threads';
import type { BinnedMatrix } from '../models/gbdt/binning.js';
import {
  addHistogram,
  addInto,
  BLOCK_ROWS,
  type HistogramBuilder,
  histogramLength,
  serialHistograms,
} from '../models/gbdt/histogram.js';

/** More threads than this rarely help: every block reads the same gradient array. */
export const MAX_HISTOGRAM_THREADS = 8;
/** How long to wait for a helper to start, or to finish a block it took, before building it here. */
const HELPER_TIMEOUT_MS = 30_000;

// The control words (Int32 in shared memory), one set for all helpers.
const JOB = 0; // sequence number of the latest build; -1 asks the helpers to stop
const START = 1;
const END = 2;
/**
 * The next block to take, tagged with the build it belongs to: `(job & 0x7fff) << 16 | block`. A
 * helper only takes a block whose tag is its build's, so one still leaving the previous build
 * cannot take (with the old range) a block of the next one.
 */
const NEXT = 3;
const FINISHED = 4; // blocks finished in the current build
const READY = 5; // helpers started
const FAILED = 6; // 1 when a helper's histogram code threw

/**
 * The helper thread: waits for a build, takes blocks until none is left (each into its own
 * partial histogram), and counts them finished. It runs addHistogram's source text, with no
 * module loading, so it starts in milliseconds and needs no loader hooks (tsx) in the new thread.
 */
const HELPER_SOURCE = `
const { workerData } = require('node:worker_threads');
const addHistogram = ${addHistogram.toString()};
const { bins, cols, index, gh, partials, done, ctrl, length, block } = workerData;
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
  const start = Atomics.load(ctrl, ${START});
  const end = Atomics.load(ctrl, ${END});
  const blocks = Math.ceil((end - start) / block);
  for (;;) {
    const next = Atomics.load(ctrl, ${NEXT});
    const j = next & 0xffff;
    if (next >>> 16 !== tag || j >= blocks) break;
    if (Atomics.compareExchange(ctrl, ${NEXT}, next, next + 1) !== next) continue;
    const offset = j * length;
    try {
      partials.fill(0, offset, offset + length);
      addHistogram(bins, cols, index, start + j * block, Math.min(end, start + (j + 1) * block), gh, partials, offset);
    } catch (error) {
      Atomics.store(ctrl, ${FAILED}, 1);
    }
    Atomics.store(done, j, job);
    Atomics.add(ctrl, ${FINISHED}, 1);
    Atomics.notify(ctrl, ${FINISHED});
  }
}
`;

/** A HistogramBuilder that also says how many histograms it built on more than one thread. */
export interface ThreadedHistograms extends HistogramBuilder {
  readonly threads: number;
  readonly parallelBuilds: () => number;
}

/**
 * Histograms built on `threads` threads (this one and `threads - 1` helpers) that take the leaf's
 * row blocks (BLOCK_ROWS) as they come free; each block is summed into its own partial histogram
 * and the partials are added in block order here, exactly as the serial builder does, so the
 * histograms, and the model, are bit-identical for any number of threads. The helpers read the
 * binned features, row index and gradients in place: all three must be in shared memory (else, or
 * with one thread, this is the serial builder). The caller blocks on Atomics while helpers work,
 * which is fine on the training worker thread it runs on.
 */
export function threadedHistograms(
  binned: BinnedMatrix,
  index: Uint32Array,
  gh: Float32Array,
  threads: number,
): ThreadedHistograms {
  const { bins, cols } = binned;
  const count = Math.max(1, Math.min(Math.floor(threads), MAX_HISTOGRAM_THREADS));
  const maxBlocks = Math.ceil(index.length / BLOCK_ROWS);
  const shared = [bins, index, gh].every((a) => a.buffer instanceof SharedArrayBuffer);
  const serial = serialHistograms(binned);
  if (count <= 1 || !shared || maxBlocks < 2 || maxBlocks > 0xffff)
    return { ...serial, threads: 1, parallelBuilds: () => 0 };
  const length = histogramLength(cols);
  const partials = new Float64Array(new SharedArrayBuffer(maxBlocks * length * 8));
  const done = new Int32Array(new SharedArrayBuffer(maxBlocks * 4));
  const ctrl = new Int32Array(new SharedArrayBuffer(8 * 4));
  const workers: Worker[] = [];
  for (let t = 1; t < count; t++) {
    const worker = new Worker(HELPER_SOURCE, {
      eval: true,
      workerData: { bins, cols, index, gh, partials, done, ctrl, length, block: BLOCK_ROWS },
      stdout: false,
      stderr: false,
    });
    worker.unref();
    // An error event can only arrive once this thread's event loop runs again (after the fit);
    // a helper that dies meanwhile is noticed by its silence (see build).
    worker.on('error', () => {});
    workers.push(worker);
  }
  const deadline = Date.now() + HELPER_TIMEOUT_MS;
  for (;;) {
    const ready = Atomics.load(ctrl, READY);
    if (ready >= workers.length) break;
    if (Atomics.wait(ctrl, READY, ready, Math.max(0, deadline - Date.now())) === 'timed-out') break;
  }
  let helpers = Atomics.load(ctrl, READY) > 0;
  let job = 0;
  let parallel = 0;
  return {
    threads: 1 + Math.min(workers.length, Atomics.load(ctrl, READY)),
    parallelBuilds: () => parallel,
    build(rowIndex, start, end, g, hist) {
      const blocks = Math.ceil((end - start) / BLOCK_ROWS);
      if (blocks < 2 || !helpers || rowIndex !== index || g !== gh) {
        serial.build(rowIndex, start, end, g, hist);
        return;
      }
      parallel++;
      job = job >= 0x7ffffffe ? 1 : job + 1;
      const tag = job & 0x7fff;
      Atomics.store(ctrl, START, start);
      Atomics.store(ctrl, END, end);
      Atomics.store(ctrl, FINISHED, 0);
      Atomics.store(ctrl, NEXT, tag << 16);
      Atomics.store(ctrl, JOB, job);
      Atomics.notify(ctrl, JOB);
      /** Block j's partial histogram, into its own slot of `partials` (as a helper builds it). */
      const buildBlock = (j: number) => {
        const offset = j * length;
        partials.fill(0, offset, offset + length);
        const from = start + j * BLOCK_ROWS;
        addHistogram(bins, cols, index, from, Math.min(end, from + BLOCK_ROWS), gh, partials, offset);
      };
      // Take blocks here too, as they come free.
      for (;;) {
        const next = Atomics.load(ctrl, NEXT);
        const j = next & 0xffff;
        if (j >= blocks) break;
        if (Atomics.compareExchange(ctrl, NEXT, next, next + 1) !== next) continue;
        buildBlock(j);
        Atomics.store(done, j, job);
        Atomics.add(ctrl, FINISHED, 1);
      }
      const wait = Date.now() + HELPER_TIMEOUT_MS;
      for (;;) {
        const finished = Atomics.load(ctrl, FINISHED);
        if (finished >= blocks) break;
        const left = wait - Date.now();
        if (left <= 0 || Atomics.wait(ctrl, FINISHED, finished, left) === 'timed-out') break;
      }
      if (Atomics.load(ctrl, FAILED) !== 0 || Atomics.load(ctrl, FINISHED) < blocks) {
        // A helper that failed or went silent: its blocks are built here, and from now on all.
        helpers = false;
        for (let j = 0; j < blocks; j++) {
          if (Atomics.load(done, j) === job && Atomics.load(ctrl, FAILED) === 0) continue;
          buildBlock(j);
        }
      }
      for (let j = 0; j < blocks; j++) addInto(hist, partials, j * length);
    },
    close() {
      Atomics.store(ctrl, JOB, -1);
      Atomics.notify(ctrl, JOB);
      for (const worker of workers) void worker.terminate();
    },
  };
}
