import { beforeAll, describe, expect, it } from 'vitest';
import { carsSplit, penguinsSplit } from '../__fixtures__/datasets.js';
import type { SplitResult } from '../data/split.js';
import { columnValues, rowsOf } from '../data/table.js';
import { classificationMetrics } from '../evaluate/classification.js';
import type { ModelJSON } from './adapter.js';
import type { TrainedModel } from './bundle.js';
import { validateTrainedModel } from './bundle.js';
import { predictRows, releaseModel } from './predict.js';
import { registerModelAdapter } from './registry.js';
import { trainModel } from './train.js';

describe('trainModel + predictRows', () => {
  let penguins: SplitResult;
  let bundle: TrainedModel;
  beforeAll(async () => {
    penguins = await penguinsSplit();
    bundle = await trainModel({
      data: penguins.train,
      label: 'species',
      task: 'classification',
      adapter: 'random-forest',
      hyperParameters: { nEstimators: 20 },
    });
  });

  it('produces a JSON bundle describing inputs, classes and hyper-parameters', () => {
    const stored = validateTrainedModel(JSON.parse(JSON.stringify(bundle)));
    expect(stored.adapter).toBe('random-forest');
    expect(stored.classes).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
    expect(stored.hyperParameters).toEqual({ nEstimators: 20 });
    expect(stored.inputSchema).toEqual([
      { name: 'island', type: 'categorical' },
      { name: 'bill_length_mm', type: 'numeric' },
      { name: 'bill_depth_mm', type: 'numeric' },
      { name: 'flipper_length_mm', type: 'numeric' },
      { name: 'body_mass_g', type: 'numeric' },
      { name: 'sex', type: 'categorical' },
    ]);
  });

  it('gives the same answers for a table (batch) and for plain rows from a stored bundle (serving)', async () => {
    const batch = await predictRows(bundle, penguins.eval);
    const served = await predictRows(JSON.parse(JSON.stringify(bundle)), rowsOf(penguins.eval));
    expect(served).toEqual(batch);
    expect(batch.classes).toEqual(bundle.classes);
    expect(batch.probabilities).toHaveLength(penguins.eval.numRows);
    const { accuracy } = classificationMetrics(
      columnValues(penguins.eval, 'species') as string[],
      batch.predictions,
    );
    expect(accuracy).toBeGreaterThan(0.9);
  });

  it('serves a request with missing and unknown values and no label column', async () => {
    const { predictions } = await predictRows(bundle, [
      {
        island: 'Biscoe',
        bill_length_mm: 48.6,
        bill_depth_mm: 16,
        flipper_length_mm: 230,
        body_mass_g: 5800,
      },
      { island: 'Atlantis', bill_length_mm: null, sex: 'UNKNOWN' },
    ]);
    expect(predictions).toHaveLength(2);
    expect(predictions[0]).toBe('Gentoo');
    expect(bundle.classes).toContain(predictions[1]);
  });

  it('trains a regression bundle and leaves rows without a label out', async () => {
    const cars = await carsSplit();
    const regression = await trainModel({
      data: cars.train,
      label: 'mpg',
      task: 'regression',
      adapter: 'random-forest',
      hyperParameters: { nEstimators: 10 },
      transform: { columns: { cylinders: {}, horsepower: { impute: 'median' }, weight_lbs: {}, origin: {} } },
    });
    expect(regression.classes).toBeUndefined();
    expect(regression.transform.featureNames).toEqual([
      'cylinders',
      'horsepower',
      'weight_lbs',
      'origin=Europe',
      'origin=Japan',
      'origin=USA',
    ]);
    const { predictions, probabilities } = await predictRows(regression, cars.eval);
    expect(probabilities).toBeUndefined();
    expect(predictions.every((p) => typeof p === 'number' && p > 5 && p < 50)).toBe(true);
    await expect(
      trainModel({ data: cars.train, label: 'origin', task: 'regression', adapter: 'random-forest' }),
    ).rejects.toThrow(/Regression needs a numeric label, but "origin" is categorical/);
  });

  it('restores a bundle model once and again after releaseModel', async () => {
    let restores = 0;
    registerModelAdapter({
      kind: 'constant',
      tasks: ['classification'],
      create: () => {
        throw new Error('not used');
      },
      fromJSON: async (json: ModelJSON) => {
        restores += 1;
        return {
          kind: 'constant',
          task: 'classification',
          classes: json.classes,
          fit: async () => {},
          predict: (X) => X.map(() => 'Adelie'),
          toJSON: () => json,
        };
      },
    });
    const constant: TrainedModel = {
      ...bundle,
      adapter: 'constant',
      model: { kind: 'constant', task: 'classification', classes: ['Adelie'], hyper: {}, state: null },
    };
    await predictRows(constant, [{}]);
    const { predictions, probabilities } = await predictRows(constant, [{}, {}]);
    expect(predictions).toEqual(['Adelie', 'Adelie']);
    expect(probabilities).toBeUndefined();
    expect(restores).toBe(1);
    await releaseModel(constant);
    await predictRows(constant, [{}]);
    expect(restores).toBe(2);
  });
});

describe('validateTrainedModel', () => {
  it('names what is wrong', () => {
    expect(() => validateTrainedModel({ format: 'pickle' })).toThrow(/Invalid trained model: format: .*/);
  });
});
