import { describe, expect, it } from 'vitest';
import { majorityShare, penguinsSplit } from '../__fixtures__/datasets.js';
import { columnValues } from '../data/table.js';
import { classificationMetrics } from '../evaluate/classification.js';
import { regressionMetrics } from '../evaluate/regression.js';
import { applyTransform, fitTransform } from '../features/transform.js';
import { defaultTransformSpec } from '../features/transform-spec.js';
import type { Target } from './adapter.js';
import { denseNetwork } from './dense-network.js';

describe('dense network', () => {
  it('trains on penguins, beats the majority class, and restores from JSON with the same outputs', async () => {
    const { train, eval: evalTable } = await penguinsSplit();
    const state = fitTransform(train, defaultTransformSpec(train, { label: 'species' }), {
      label: 'species',
    });
    const Xeval = applyTransform(state, evalTable).X;
    const yeval = columnValues(evalTable, 'species') as Target[];

    const model = denseNetwork.create('classification');
    await model.fit(applyTransform(state, train).X, columnValues(train, 'species') as Target[], {
      hiddenUnits: [8],
      epochs: 20,
    });
    const { accuracy } = classificationMetrics(yeval, model.predict(Xeval));
    expect(accuracy).toBeGreaterThan(majorityShare(evalTable, 'species'));
    expect(accuracy).toBeGreaterThan(0.8);

    const json = JSON.parse(JSON.stringify(model.toJSON()));
    expect(json.classes).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
    expect(typeof json.state.weightsBase64).toBe('string');
    expect(json.state.weightSpecs.map((s: { shape: number[] }) => s.shape)).toEqual([
      [state.featureNames.length, 8],
      [8],
      [8, 3],
      [3],
    ]);
    const restored = await denseNetwork.fromJSON(json);
    expect(restored.predictProba!(Xeval)).toEqual(model.predictProba!(Xeval));
    model.dispose?.();
    restored.dispose?.();
  });

  it('fits a regression (targets are standardised inside) and is repeatable with a seed', async () => {
    const X = Array.from({ length: 64 }, (_, i) => [i / 32 - 1, ((i * 7) % 64) / 32 - 1]);
    const y = X.map(([a, b]) => 100 + 30 * a! - 10 * b!);
    const fit = async () => {
      const model = denseNetwork.create('regression');
      await model.fit(X, y, { hiddenUnits: [8], epochs: 40, learningRate: 0.05, batchSize: 16, seed: 5 });
      return model;
    };
    const first = await fit();
    const second = await fit();
    const predicted = first.predict(X);
    expect(regressionMetrics(y, predicted).r2).toBeGreaterThan(0.9);
    expect(second.predict(X)).toEqual(predicted);
    const restored = await denseNetwork.fromJSON(JSON.parse(JSON.stringify(first.toJSON())));
    expect(restored.predict(X)).toEqual(predicted);
    for (const model of [first, second, restored]) model.dispose?.();
  });
});
