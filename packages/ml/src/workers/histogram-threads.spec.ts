import { describe, expect, it } from 'vitest';
import { tableFromRows } from '../data/table.js';
import { fitTransform } from '../features/transform.js';
import { fitBundle } from '../models/fit-bundle.js';
import type { BinnedMatrix } from '../models/gbdt/binning.js';
import { mulberry32 } from '../models/gbdt/booster.js';
import { BLOCK_ROWS, serialHistograms } from '../models/gbdt/histogram.js';
import { threadedHistograms } from './histogram-threads.js';

const shared = <T extends Float32Array | Uint32Array | Uint8Array>(
  make: new (buffer: SharedArrayBuffer) => T,
  bytes: number,
): T => new make(new SharedArrayBuffer(bytes));

function randomProblem(rows: number, cols: number) {
  const random = mulberry32(5);
  const bins = shared(Uint8Array, rows * cols);
  for (let i = 0; i < bins.length; i++) bins[i] = Math.floor(random() * (i % cols === 0 ? 3 : 256));
  const binned: BinnedMatrix = { rows, cols, bins, cuts: [] };
  const index = shared(Uint32Array, rows * 4);
  for (let i = 0; i < rows; i++) index[i] = i;
  const gh = shared(Float32Array, rows * 8);
  for (let i = 0; i < rows; i++) {
    gh[2 * i] = random() * 2 - 1 + 1e-6 * i;
    gh[2 * i + 1] = random();
  }
  return { binned, index, gh };
}

describe('threadedHistograms', () => {
  it('builds exactly the serial histograms, on helper threads sharing the row blocks', () => {
    const rows = 100_000;
    const cols = 7;
    const { binned, index, gh } = randomProblem(rows, cols);
    const serial = serialHistograms(binned);
    for (const threads of [2, 3]) {
      const threaded = threadedHistograms(binned, index, gh, threads);
      try {
        expect(threaded.threads).toBe(threads);
        for (const [start, end] of [
          [0, rows],
          [1000, 41_000],
          [5, 90],
          [7, 7 + BLOCK_ROWS + 1],
        ] as const) {
          const a = new Float64Array(cols * 256 * 3);
          const b = new Float64Array(cols * 256 * 3);
          serial.build(index, start, end, gh, a);
          threaded.build(index, start, end, gh, b);
          expect(Buffer.from(b.buffer).equals(Buffer.from(a.buffer))).toBe(true);
        }
        // The ranges of more than one block were shared, the small one stayed on this thread.
        expect(threaded.parallelBuilds()).toBe(3);
      } finally {
        threaded.close();
      }
    }
  });

  it('falls back to one thread when the arrays are not in shared memory', () => {
    const rows = 70_000;
    const { binned, gh } = randomProblem(rows, 4);
    const index = Uint32Array.from({ length: rows }, (_, i) => i);
    const threaded = threadedHistograms(binned, index, gh, 2);
    expect(threaded.threads).toBe(1);
    threaded.close();
  });

  it('gives fitBundle the bit-identical gradient-boosting model on one, two and three threads', async () => {
    const random = mulberry32(9);
    const rows = Array.from({ length: 90_000 }, () => {
      const a = random() * 10;
      const b = random() * 10;
      const c = ['x', 'y', 'z'][Math.floor(random() * 3)]!;
      return { a, b, c, d: random(), y: a + b > 10 ? (c === 'x' ? 'hi' : 'mid') : 'lo' };
    });
    const table = tableFromRows(rows);
    const transform = fitTransform(table, { columns: { c: { encode: 'onehot' } } }, { label: 'y' });
    const fit = (threads: number) =>
      fitBundle({
        table,
        transform,
        task: 'classification',
        adapter: 'gradient-boosting',
        hyperParameters: { nEstimators: 4, maxLeaves: 15, subsample: 0.9 },
        threads,
      });
    const one = await fit(1);
    for (const threads of [2, 3]) {
      const many = await fit(threads);
      // The serialized models, byte for byte (toEqual would call -0 and 0 equal).
      expect(JSON.stringify(many.bundle.model)).toBe(JSON.stringify(one.bundle.model));
      expect(many.importance).toEqual(one.importance);
    }
  }, 60_000);
});
