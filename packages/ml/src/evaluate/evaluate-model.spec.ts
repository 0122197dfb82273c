import { describe, expect, it } from 'vitest';
import { penguinsSplit } from '../__fixtures__/datasets.js';
import { columnTypes, rowsOf, tableFromRows } from '../data/table.js';
import { trainModel } from '../models/train.js';
import type { ClassificationMetrics } from './classification.js';
import { evaluateModel } from './evaluate-model.js';
import { decide } from './gate.js';

describe('evaluateModel', () => {
  it('scores a trained model on penguins overall and per island, and feeds the gate', async () => {
    const split = await penguinsSplit();
    const { train } = split;
    // The eval side gets every row whose body mass is missing (wherever the hash split put it), so
    // the "(missing)" slice is always exercised.
    const evalTable = tableFromRows(
      [...rowsOf(split.eval), ...rowsOf(train).filter((row) => row.body_mass_g === null)],
      columnTypes(split.eval),
    );
    const train2 = (adapter: string, hyperParameters = {}) =>
      trainModel({ data: train, label: 'species', task: 'classification', adapter, hyperParameters });
    const forest = await evaluateModel(await train2('random-forest', { nEstimators: 20 }), evalTable, {
      sliceColumns: ['island', 'body_mass_g'],
    });
    const metrics = forest.metrics as ClassificationMetrics;
    expect(metrics.count).toBe(evalTable.numRows);
    expect(metrics.accuracy).toBeGreaterThan(0.9);
    expect(metrics.rocAuc).toBeGreaterThan(0.95);
    expect(forest.slices.filter((s) => s.column === 'island').map((s) => s.slice)).toEqual([
      'Biscoe',
      'Dream',
      'Torgersen',
    ]);
    const massSlices = forest.slices.filter((s) => s.column === 'body_mass_g').map((s) => s.slice);
    // Four quantile buckets, plus the eval rows whose measurements are missing.
    expect(massSlices).toHaveLength(5);
    expect(massSlices[0]).toMatch(/^\[2\d{3}, \d{4}(\.\d+)?\)$/);
    expect(massSlices[4]).toBe('(missing)');
    expect(forest.slices.reduce((n, s) => n + (s.column === 'island' ? s.count : 0), 0)).toBe(
      evalTable.numRows,
    );

    // A deliberately weak model (logistic regression stopped after 2 steps) must not be blessed over the forest.
    const weak = await evaluateModel(
      await train2('logistic-regression', { numSteps: 2, learningRate: 0.001 }),
      evalTable,
      {
        sliceColumns: ['island'],
      },
    );
    expect((weak.metrics as ClassificationMetrics).accuracy).toBeLessThan(metrics.accuracy);
    const decision = decide({
      candidate: weak,
      baseline: forest,
      metric: 'accuracy',
      higherIsBetter: true,
      minImprovement: 0,
      sliceTolerance: 0.05,
    });
    expect(decision.blessed).toBe(false);
    expect(decision.reason).toMatch(/^Not blessed: accuracy [\d.]+ vs the baseline's [\d.]+ is worse by/);
  });
});
