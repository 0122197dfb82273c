import { describe, expect, it } from 'vitest';
import { tableFromRows } from '../data/table.js';
import { fitTransform } from '../features/transform.js';
import { fitBundle } from '../models/fit-bundle.js';
import { type BinnedMatrix, binMatrix } from '../models/gbdt/binning.js';
import type { TeamFor } from '../models/gbdt/block-team.js';
import { type BoosterOptions, fitBinned, mulberry32 } from '../models/gbdt/booster.js';
import { boosterToJSON } from '../models/gbdt/serialize.js';
import { threadedTeam } from './block-threads.js';

/** A noisy problem of `rows` rows and 6 features (one with 3 values), targets for every objective. */
function problem(rows: number) {
  const random = mulberry32(5);
  const cols = 6;
  const data = new Float64Array(rows * cols);
  const classes = new Float64Array(new SharedArrayBuffer(rows * 8));
  const binary = new Float64Array(rows);
  const values = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) data[r * cols + c] = c === 0 ? Math.floor(random() * 3) : random() * 10;
    const a = data[r * cols + 1]!;
    const b = data[r * cols + 2]!;
    const noise = random();
    classes[r] = noise < 0.1 ? Math.floor(random() * 3) : a + b > 10 ? (data[r * cols]! === 0 ? 2 : 1) : 0;
    binary[r] = noise < 0.1 ? 1 - (a > 5 ? 1 : 0) : a > 5 ? 1 : 0;
    values[r] = a * b + data[r * cols + 3]! + noise;
  }
  return { binned: binMatrix({ rows, cols, data }, 255), classes, binary, values };
}

const options = (
  objective: BoosterOptions['objective'],
  outputs: number,
  more: Partial<BoosterOptions> = {},
) =>
  ({
    objective,
    outputs,
    rounds: 4,
    maxLeaves: 15,
    maxDepth: 0,
    minSamplesLeaf: 20,
    minChildWeight: 1e-3,
    l2: 1,
    shrinkage: 0.3,
    maxBins: 255,
    subsample: 1,
    seed: 3,
    validationFraction: 0.1,
    nIterNoChange: 10,
    tol: 1e-7,
    ...more,
  }) satisfies BoosterOptions;

function fitWith(binned: BinnedMatrix, y: Float64Array, o: BoosterOptions, teamFor?: TeamFor) {
  const losses: number[][] = [];
  const booster = fitBinned(
    binned,
    y,
    o,
    () => {},
    teamFor,
    (report) => losses.push(report.validationLoss),
  );
  return { model: JSON.stringify(boosterToJSON(booster)), losses };
}

describe('threadedTeam', () => {
  const rows = 150_000; // five blocks of rows
  const { binned, classes, binary, values } = problem(rows);

  it('fits the bit-identical booster on one, two and three threads, for every objective', () => {
    const cases: [string, Float64Array, BoosterOptions][] = [
      ['multiclass, subsampled', classes, options('multiclass', 3, { subsample: 0.7 })],
      ['binary', binary, options('binary', 1)],
      ['regression, no hold-out', values, options('squared-error', 1, { validationFraction: 0 })],
    ];
    for (const [name, y, o] of cases) {
      const one = fitWith(binned, y, o);
      for (const threads of [2, 3]) {
        let helped = 0;
        const many = fitWith(binned, y, o, (state) => {
          const team = threadedTeam(state, threads);
          return {
            threads: team.threads,
            run: team.run,
            close: () => {
              helped = team.helperTasks();
              team.close();
            },
          };
        });
        // The serialized models byte for byte (toEqual would call -0 and 0 equal), and the
        // held-out losses that decide early stopping.
        expect(many.model, `${name}, ${threads} threads`).toBe(one.model);
        expect(many.losses).toEqual(one.losses);
        expect(helped, `${name}, ${threads} threads: tasks the helpers ran`).toBeGreaterThan(0);
      }
    }
  }, 120_000);

  it('stays on one thread when the state is not in shared memory', () => {
    const ordinary = { ...binned, bins: Uint8Array.from(binned.bins) };
    let threads = 0;
    const plain = fitWith(ordinary, classes, options('multiclass', 3), (state) => {
      const team = threadedTeam(state, 2);
      threads = team.threads;
      return team;
    });
    expect(threads).toBe(1);
    expect(plain.model).toBe(fitWith(binned, classes, options('multiclass', 3)).model);
  });

  it('fails the fit with the error when a task throws', () => {
    expect(() =>
      fitWith(binned, classes, options('multiclass', 3), (state) => {
        const team = threadedTeam(state, 2);
        return {
          threads: team.threads,
          run: (count: number) => {
            state.params[0] = 99; // no such job
            team.run(count);
          },
          close: team.close,
        };
      }),
    ).toThrow(/unknown block job 99/);
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
