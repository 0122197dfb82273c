import { beforeAll, describe, expect, it } from 'vitest';
import { penguinsSplit } from '../__fixtures__/datasets.js';
import { columnValues } from '../data/table.js';
import { classificationMetrics } from '../evaluate/classification.js';
import { applyTransform, fitTransform } from '../features/transform.js';
import { defaultTransformSpec } from '../features/transform-spec.js';
import type { Target } from './adapter.js';
import { logisticRegression } from './logistic-regression.js';

describe('logistic regression', () => {
  let Xtrain: number[][];
  let ytrain: Target[];
  let Xeval: number[][];
  let yeval: Target[];
  beforeAll(async () => {
    const { train, eval: evalTable } = await penguinsSplit();
    const state = fitTransform(train, defaultTransformSpec(train, { label: 'species' }), {
      label: 'species',
    });
    Xtrain = applyTransform(state, train).X;
    ytrain = columnValues(train, 'species') as Target[];
    Xeval = applyTransform(state, evalTable).X;
    yeval = columnValues(evalTable, 'species') as Target[];
  });

  it('classifies the three penguin species with more than 0.85 eval accuracy', async () => {
    const model = logisticRegression.create('classification');
    await model.fit(Xtrain, ytrain, { numSteps: 300 });
    const probabilities = model.predictProba!(Xeval);
    const metrics = classificationMetrics(yeval, model.predict(Xeval), {
      probabilities,
      classes: model.classes!,
    });
    expect(metrics.accuracy).toBeGreaterThan(0.85);
    expect(metrics.rocAuc).toBeGreaterThan(0.95);
    for (const row of probabilities) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
  });

  it('learns a binary problem that needs the intercept', async () => {
    // Every x is positive, so without an intercept the two classes could not be told apart at x = 5.
    const X = [[1], [2], [3], [4], [6], [7], [8], [9]];
    const y = ['low', 'low', 'low', 'low', 'high', 'high', 'high', 'high'];
    const model = logisticRegression.create('classification');
    await model.fit(X, y, { numSteps: 2000, learningRate: 1 });
    expect(model.predict([[1.5], [8.5]])).toEqual(['low', 'high']);
  });

  it('round-trips through JSON with the same probabilities', async () => {
    const model = logisticRegression.create('classification');
    await model.fit(Xtrain, ytrain, { numSteps: 100 });
    const json = JSON.parse(JSON.stringify(model.toJSON()));
    expect(json.classes).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
    const restored = await logisticRegression.fromJSON(json);
    expect(restored.predictProba!(Xeval)).toEqual(model.predictProba!(Xeval));
  });

  it('refuses regression with a pointer to the adapters that do it', () => {
    expect(() => logisticRegression.create('regression')).toThrow(/classification only; use random-forest/);
  });
});
