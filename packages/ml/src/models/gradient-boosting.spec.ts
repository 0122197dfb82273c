import type { Table } from 'apache-arrow';
import { beforeAll, describe, expect, it } from 'vitest';
import { carsSplit, penguinsSplit } from '../__fixtures__/datasets.js';
import { columnValues, rowsOf, tableFromRows } from '../data/table.js';
import { classificationMetrics } from '../evaluate/classification.js';
import { regressionMetrics } from '../evaluate/regression.js';
import { applyTransform, fitTransform } from '../features/transform.js';
import { defaultTransformSpec } from '../features/transform-spec.js';
import type { Target } from './adapter.js';
import { mulberry32, shouldStop } from './gbdt/booster.js';
import { GradientBoostingAdapter, gradientBoosting } from './gradient-boosting.js';

function labelled(table: Table, label: string): Table {
  return tableFromRows(rowsOf(table).filter((row) => row[label] !== null));
}

function prepare(train: Table, evalTable: Table, label: string, exclude: string[] = []) {
  const state = fitTransform(train, defaultTransformSpec(train, { label, exclude }), { label });
  return {
    featureNames: state.featureNames,
    Xtrain: applyTransform(state, train).X,
    ytrain: columnValues(train, label) as Target[],
    Xeval: applyTransform(state, evalTable).X,
    yeval: columnValues(evalTable, label) as Target[],
  };
}

describe('gradient boosting classifier on penguins (three classes)', () => {
  let data: ReturnType<typeof prepare>;
  beforeAll(async () => {
    const { train, eval: evalTable } = await penguinsSplit();
    data = prepare(train, evalTable, 'species');
  });

  it('reaches more than 0.95 eval accuracy with probabilities that sum to 1', async () => {
    const model = gradientBoosting.create('classification');
    await model.fit(data.Xtrain, data.ytrain, { nEstimators: 50 });
    expect(model.classes).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
    const { accuracy } = classificationMetrics(data.yeval, model.predict(data.Xeval));
    expect(accuracy).toBeGreaterThan(0.95);
    const proba = model.predictProba!(data.Xeval);
    for (const row of proba) {
      expect(row).toHaveLength(3);
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    }
  });

  it('records feature importance that sums to 1, highest on a measurement that separates species', async () => {
    const model = new GradientBoostingAdapter('classification');
    await model.fit(data.Xtrain, data.ytrain, { nEstimators: 30 });
    const importance = model.featureImportance();
    expect(importance).toHaveLength(data.featureNames.length);
    expect(importance.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    const top = data.featureNames[importance.indexOf(Math.max(...importance))]!;
    expect(top).toMatch(/length|depth|mass|island/i);
  });

  it('is deterministic and predicts the same after a JSON round trip', async () => {
    const a = gradientBoosting.create('classification');
    const b = gradientBoosting.create('classification');
    await a.fit(data.Xtrain, data.ytrain, { nEstimators: 20, subsample: 0.7, seed: 5 });
    await b.fit(data.Xtrain, data.ytrain, { nEstimators: 20, subsample: 0.7, seed: 5 });
    expect(JSON.stringify(a.toJSON())).toBe(JSON.stringify(b.toJSON()));
    const restored = await gradientBoosting.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));
    expect(restored.predictProba!(data.Xeval)).toEqual(a.predictProba!(data.Xeval));
    expect(restored.predict(data.Xeval)).toEqual(a.predict(data.Xeval));
  });

  it('names the hyper-parameter it refuses', async () => {
    const model = gradientBoosting.create('classification');
    await expect(model.fit(data.Xtrain, data.ytrain, { learningRate: 2 })).rejects.toThrow(/learningRate/);
    expect(() => gradientBoosting.create('classification').predict([[1]])).toThrow(/not fitted/);
  });
});

describe('gradient boosting, two classes and regression', () => {
  it('learns a binary rule on generated data with probabilities [1-p, p]', async () => {
    const random = mulberry32(1);
    const X = Array.from({ length: 2000 }, () => [random() * 4 - 2, random() * 4 - 2]);
    const y = X.map(([a, b]) => (a! * a! + b! * b! < 1.5 ? 'in' : 'out'));
    const model = gradientBoosting.create('classification');
    await model.fit(X.slice(0, 1500), y.slice(0, 1500), { nEstimators: 60 });
    const { accuracy } = classificationMetrics(y.slice(1500), model.predict(X.slice(1500)));
    expect(accuracy).toBeGreaterThan(0.95);
    for (const p of model.predictProba!(X.slice(1500, 1510))) expect(p[0]! + p[1]!).toBeCloseTo(1, 12);
  });

  it('explains more than 75% of the variance of mpg on cars', async () => {
    const { train, eval: evalTable } = await carsSplit();
    const data = prepare(labelled(train, 'mpg'), labelled(evalTable, 'mpg'), 'mpg', ['name']);
    const model = gradientBoosting.create('regression');
    await model.fit(data.Xtrain, data.ytrain, { nEstimators: 100, minSamplesLeaf: 5 });
    const predicted = model.predict(data.Xeval);
    expect(regressionMetrics(data.yeval, predicted).r2).toBeGreaterThan(0.75);
    const restored = await gradientBoosting.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
    expect(restored.predict(data.Xeval)).toEqual(predicted);
  });
});

describe('gradient boosting early stopping', () => {
  it('stops by scikit-learn rule: no loss in the last n rounds beat the one n rounds before by more than tol', () => {
    expect(shouldStop([1, 0.9, 0.8], 2, 0)).toBe(false);
    expect(shouldStop([1, 0.9, 0.9, 0.9], 2, 0)).toBe(true);
    expect(shouldStop([1, 0.9, 0.95, 0.85], 2, 0)).toBe(false);
    expect(shouldStop([1, 0.9, 0.899, 0.8995], 2, 0.01)).toBe(true);
  });

  it('holds out rows above 10,000 and keeps the rounds up to the best held-out loss', () => {
    const random = mulberry32(3);
    const rows = 12_000;
    const data = new Float64Array(rows * 2);
    const labels: string[] = [];
    for (let r = 0; r < rows; r++) {
      data[r * 2] = random() * 4 - 2;
      data[r * 2 + 1] = random() * 4 - 2;
      // 10 % label noise: the held-out loss bottoms out and the fit stops well before 100 rounds.
      const inside = data[r * 2]! ** 2 + data[r * 2 + 1]! ** 2 < 1.5;
      labels.push(inside !== random() < 0.1 ? 'in' : 'out');
    }
    const model = new GradientBoostingAdapter('classification');
    model.fitMatrix({ rows, cols: 2, data }, labels, {});
    const report = model.report!;
    expect(report.rounds).toBeLessThan(100);
    expect(report.validationLoss).toHaveLength(report.rounds + 1);
    const best = Math.min(...report.validationLoss);
    expect(report.validationLoss[report.bestRound]).toBe(best);
    expect((model.toJSON().state as { trees: unknown[] }).trees).toHaveLength(report.bestRound);
    // Off (or at 10,000 rows and below): every round, no hold-out.
    const all = new GradientBoostingAdapter('classification');
    all.fitMatrix({ rows, cols: 2, data }, labels, { earlyStopping: false, nEstimators: 7 });
    expect(all.report).toEqual({ rounds: 7, bestRound: 7, validationLoss: [] });
    expect(() =>
      new GradientBoostingAdapter('classification').fitMatrix({ rows, cols: 2, data }, labels, {
        earlyStopping: 'yes',
      }),
    ).toThrow(/earlyStopping/);
  });
});
