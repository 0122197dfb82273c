import type { BinnedMatrix } from './binning.js';

/** Histogram stride: every feature gets 256 bins of (gradient, hessian, count). */
export const BINS = 256;

/**
 * Builds the (gradient, hessian, count) histogram of a leaf: `hist` (zeroed, `cols * BINS * 3`)
 * gets the rows `index[start..end)` added. growTree asks for one per split; the serial builder does
 * it on this thread, threadedHistograms (workers/) splits the features across threads.
 */
export interface HistogramBuilder {
  build(
    index: Uint32Array,
    start: number,
    end: number,
    grad: Float64Array,
    hess: Float64Array,
    hist: Float64Array,
  ): void;
  /** Stops any threads it started. */
  close(): void;
}

export function serialHistograms(binned: BinnedMatrix): HistogramBuilder {
  const { bins, cols } = binned;
  return {
    build: (index, start, end, grad, hess, hist) =>
      addHistogram(bins, cols, index, start, end, grad, hess, hist, 0, cols),
    close: () => {},
  };
}

/**
 * Adds rows `index[start..end)` of features `[f0, f1)` to `hist`, feature f at `(f - f0) * 256 * 3`.
 * Every bin receives its rows in index order whichever thread runs it, so a histogram split by
 * features across threads has exactly the sums of the serial one (floating-point addition is not
 * associative: splitting by rows would not). Self-contained (no imports, no outer names): helper
 * threads run its source text (see workers/histogram-threads.ts).
 */
export function addHistogram(
  bins: Uint8Array,
  cols: number,
  index: Uint32Array,
  start: number,
  end: number,
  grad: Float64Array,
  hess: Float64Array,
  hist: Float64Array,
  f0: number,
  f1: number,
): void {
  for (let i = start; i < end; i++) {
    const r = index[i]!;
    const g = grad[r]!;
    const h = hess[r]!;
    const base = r * cols;
    for (let c = f0; c < f1; c++) {
      const o = ((c - f0) * 256 + bins[base + c]!) * 3;
      hist[o]! += g;
      hist[o + 1]! += h;
      hist[o + 2]! += 1;
    }
  }
}
