import type { Table } from 'apache-arrow';
import { beforeAll, describe, expect, it } from 'vitest';
import { carsSplit, penguinsSplit } from '../__fixtures__/datasets.js';
import { columnValues, rowsOf, tableFromRows } from '../data/table.js';
import { classificationMetrics } from '../evaluate/classification.js';
import { regressionMetrics } from '../evaluate/regression.js';
import { applyTransform, fitTransform } from '../features/transform.js';
import { defaultTransformSpec } from '../features/transform-spec.js';
import type { Target } from './adapter.js';
import { randomForest } from './random-forest.js';

function labelled(table: Table, label: string): Table {
  return tableFromRows(rowsOf(table).filter((row) => row[label] !== null));
}

function prepare(train: Table, evalTable: Table, label: string, exclude: string[] = []) {
  const state = fitTransform(train, defaultTransformSpec(train, { label, exclude }), { label });
  return {
    Xtrain: applyTransform(state, train).X,
    ytrain: columnValues(train, label) as Target[],
    Xeval: applyTransform(state, evalTable).X,
    yeval: columnValues(evalTable, label) as Target[],
  };
}

describe('random forest classifier on penguins', () => {
  let data: ReturnType<typeof prepare>;
  beforeAll(async () => {
    const { train, eval: evalTable } = await penguinsSplit();
    data = prepare(train, evalTable, 'species');
  });

  it('reaches more than 0.9 eval accuracy with calibrated vote shares', async () => {
    const model = randomForest.create('classification');
    await model.fit(data.Xtrain, data.ytrain, { nEstimators: 25, seed: 3 });
    expect(model.classes).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
    const predicted = model.predict(data.Xeval);
    const { accuracy } = classificationMetrics(data.yeval, predicted);
    expect(accuracy).toBeGreaterThan(0.9);
    const proba = model.predictProba!(data.Xeval);
    for (const row of proba) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
  });

  it('is repeatable with a seed and predicts the same after a JSON round trip', async () => {
    const a = randomForest.create('classification');
    const b = randomForest.create('classification');
    await a.fit(data.Xtrain, data.ytrain, { nEstimators: 10, seed: 11 });
    await b.fit(data.Xtrain, data.ytrain, { nEstimators: 10, seed: 11 });
    expect(JSON.stringify(a.toJSON())).toBe(JSON.stringify(b.toJSON()));
    const restored = await randomForest.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));
    expect(restored.predict(data.Xeval)).toEqual(a.predict(data.Xeval));
    expect(restored.predictProba!(data.Xeval)).toEqual(a.predictProba!(data.Xeval));
    expect(restored.toJSON().hyper).toEqual({ nEstimators: 10, seed: 11 });
  });

  it('refuses to predict before fitting', () => {
    expect(() => randomForest.create('classification').predict([[1]])).toThrow(/not fitted/);
  });
});

describe('random forest regressor on cars', () => {
  it('explains more than 60% of the variance of mpg', async () => {
    const { train, eval: evalTable } = await carsSplit();
    const data = prepare(labelled(train, 'mpg'), labelled(evalTable, 'mpg'), 'mpg', ['name']);
    const model = randomForest.create('regression');
    await model.fit(data.Xtrain, data.ytrain, { nEstimators: 30 });
    const predicted = model.predict(data.Xeval);
    expect(predicted.every((p) => typeof p === 'number')).toBe(true);
    const { r2 } = regressionMetrics(data.yeval, predicted);
    expect(r2).toBeGreaterThan(0.6);
    const restored = await randomForest.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
    expect(restored.predict(data.Xeval)).toEqual(predicted);
  });
});
