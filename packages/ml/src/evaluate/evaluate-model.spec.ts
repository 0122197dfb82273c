import { describe, expect, it } from 'vitest';
import { penguinsSplit } from '../__fixtures__/datasets.js';
import { noisyClasses } from '../__fixtures__/noisy-classes.js';
import { columnTypes, columnValues, rowsOf, tableFromRows } from '../data/table.js';
import { predictRows } from '../models/predict.js';
import { trainModel } from '../models/train.js';
import type { ClassificationMetrics } from './classification.js';
import { classificationMetrics } from './classification.js';
import { evaluateModel } from './evaluate-model.js';
import { decide } from './gate.js';
import { regressionMetrics } from './regression.js';
import { sliceMetrics } from './slices.js';

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

describe('evaluateModel on a large table', () => {
  it('gives what the per-row metrics give for the same predictions, overall and per slice', async () => {
    // 15,000 eval rows: predicted on worker threads as class codes, scored from typed arrays.
    const data = noisyClasses(20_000, 5);
    const evalTable = data.slice(5_000);
    for (const [adapter, hyperParameters] of [
      ['gradient-boosting', { nEstimators: 6 }],
      // Class names and per-row probabilities back from the worker, no codes.
      ['logistic-regression', { numSteps: 50 }],
    ] as const) {
      const bundle = await trainModel({
        data: data.slice(0, 5_000),
        label: 'label',
        task: 'classification',
        adapter,
        hyperParameters,
        // Not the regression target, which gives the class away.
        transform: { columns: { island: {}, a: {}, b: {} } },
      });
      const sliceColumns = ['island', 'a', 'b'];
      const evaluation = await evaluateModel(bundle, evalTable, { sliceColumns });
      const { predictions, probabilities, classes } = await predictRows(bundle, evalTable);
      const actual = columnValues(evalTable, 'label') as string[];
      const extra = { probabilities: probabilities!, classes: classes! };
      expect(evaluation.metrics).toEqual(classificationMetrics(actual, predictions, extra));
      expect(evaluation.slices).toEqual(
        sliceColumns.flatMap((column) =>
          sliceMetrics({
            data: evalTable,
            column,
            task: 'classification',
            actual,
            predicted: predictions,
            ...extra,
          }),
        ),
      );
      // Not trivially right, so the confusion matrix and AUC are exercised.
      expect((evaluation.metrics as ClassificationMetrics).accuracy).toBeLessThan(0.99);
      expect(evaluation.slices.map((s) => s.slice)).toContain('(missing)');
    }
    // Worker threads start from TypeScript source here (~0.65 s each): generous on a loaded machine.
  }, 240_000);

  it('scores regression the same way', async () => {
    const data = noisyClasses(16_000, 9);
    const evalTable = data.slice(4_000);
    const bundle = await trainModel({
      data: data.slice(0, 4_000),
      label: 'target',
      task: 'regression',
      adapter: 'gradient-boosting',
      hyperParameters: { nEstimators: 4 },
    });
    const evaluation = await evaluateModel(bundle, evalTable, { sliceColumns: ['island', 'b'] });
    const { predictions } = await predictRows(bundle, evalTable);
    const actual = columnValues(evalTable, 'target') as number[];
    expect(evaluation.metrics).toEqual(regressionMetrics(actual, predictions));
    expect(evaluation.slices).toEqual(
      ['island', 'b'].flatMap((column) =>
        sliceMetrics({ data: evalTable, column, task: 'regression', actual, predicted: predictions }),
      ),
    );
  }, 120_000);
});
