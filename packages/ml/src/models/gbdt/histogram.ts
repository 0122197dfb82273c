import type { BinnedMatrix } from './binning.js';

/** Histogram stride: every feature gets 256 bins of (gradient, hessian, count). */
export const BINS = 256;

/**
 * Rows of a leaf are summed in blocks of this many index positions, each block into its own
 * partial histogram, and the partials are added in block order. The blocks depend only on the
 * leaf's range, never on the number of threads, so floating-point sums (which are not associative)
 * come out bit-identical whether one thread builds every block or several share them.
 */
export const BLOCK_ROWS = 32_768;

/** Doubles in one histogram of `cols` features. */
export const histogramLength = (cols: number): number => cols * BINS * 3;

/**
 * Builds the (gradient, hessian, count) histogram of a leaf: `hist` (zeroed, `cols * BINS * 3`)
 * gets the rows `index[start..end)` added, `gh` holding each row's gradient at `2 * row` and hessian
 * at `2 * row + 1`. growTree asks for one per split; the serial builder does it on this thread,
 * threadedHistograms (workers/) spreads the row blocks over threads, with the same result.
 */
export interface HistogramBuilder {
  build(index: Uint32Array, start: number, end: number, gh: Float32Array, hist: Float64Array): void;
  /** Stops any threads it started. */
  close(): void;
}

export function serialHistograms(binned: BinnedMatrix): HistogramBuilder {
  const { bins, cols } = binned;
  let partial: Float64Array | undefined;
  return {
    build(index, start, end, gh, hist) {
      if (end - start <= BLOCK_ROWS) {
        addHistogram(bins, cols, index, start, end, gh, hist, 0);
        return;
      }
      partial ??= new Float64Array(histogramLength(cols));
      for (let from = start; from < end; from += BLOCK_ROWS) {
        partial.fill(0);
        addHistogram(bins, cols, index, from, Math.min(end, from + BLOCK_ROWS), gh, partial, 0);
        addInto(hist, partial, 0);
      }
    },
    close: () => {},
  };
}

/** `into += from` (from starting at `offset`), element by element: how block partials are joined. */
export function addInto(into: Float64Array, from: Float64Array, offset: number): void {
  const n = into.length;
  for (let i = 0; i < n; i++) into[i]! += from[offset + i]!;
}

/**
 * Adds rows `index[start..end)` to the histogram at `hist[offset...]`. Self-contained (no imports,
 * no outer names): helper threads run its source text (see workers/histogram-threads.ts).
 */
export function addHistogram(
  bins: Uint8Array,
  cols: number,
  index: Uint32Array,
  start: number,
  end: number,
  gh: Float32Array,
  hist: Float64Array,
  offset: number,
): void {
  for (let i = start; i < end; i++) {
    const r = index[i]!;
    const g = gh[2 * r]!;
    const h = gh[2 * r + 1]!;
    const base = r * cols;
    for (let c = 0; c < cols; c++) {
      const o = offset + (c * 256 + bins[base + c]!) * 3;
      hist[o]! += g;
      hist[o + 1]! += h;
      hist[o + 2]! += 1;
    }
  }
}
