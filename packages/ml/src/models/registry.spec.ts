import { describe, expect, it } from 'vitest';
import type { ModelAdapter, ModelJSON, Task } from './adapter.js';
import { hyperNumber, hyperNumbers } from './adapter.js';
import { createModel, loadModel, modelKinds, registerModelAdapter } from './registry.js';

/** Predicts the mean of the training targets: enough to exercise the registry contract. */
function meanAdapter(task: Task, mean = 0): ModelAdapter {
  let value = mean;
  return {
    kind: 'mean',
    task,
    classes: undefined,
    async fit(_X, y) {
      value = y.map(Number).reduce((a, b) => a + b, 0) / y.length;
    },
    predict: (X) => X.map(() => value),
    toJSON: (): ModelJSON => ({ kind: 'mean', task, hyper: {}, state: { value } }),
  };
}

describe('model registry', () => {
  it('knows the built-in adapters and names them in errors', () => {
    expect(modelKinds()).toEqual(
      expect.arrayContaining(['dense-network', 'logistic-regression', 'random-forest']),
    );
    expect(() => createModel('svm', 'classification')).toThrow(
      /Unknown model kind "svm"; known: .*random-forest/,
    );
    expect(() => createModel('logistic-regression', 'regression')).toThrow(
      /"logistic-regression" does not do regression; it does classification/,
    );
  });

  it('creates and restores a registered adapter', async () => {
    registerModelAdapter({
      kind: 'mean',
      tasks: ['regression'],
      create: (task) => meanAdapter(task),
      fromJSON: async (json) => meanAdapter(json.task, (json.state as { value: number }).value),
    });
    const model = createModel('mean', 'regression');
    await model.fit([[0], [0]], [2, 4]);
    const restored = await loadModel(JSON.parse(JSON.stringify(model.toJSON())));
    expect(restored.predict([[1]])).toEqual([3]);
  });
});

describe('hyper-parameter readers', () => {
  it('use defaults and reject wrong types', () => {
    expect(hyperNumber({}, 'epochs', 5)).toBe(5);
    expect(hyperNumber({ epochs: 7 }, 'epochs', 5)).toBe(7);
    expect(() => hyperNumber({ epochs: '7' }, 'epochs', 5)).toThrow(/"epochs" must be a number, got "7"/);
    expect(hyperNumbers({ hiddenUnits: [4, 2] }, 'hiddenUnits', [16])).toEqual([4, 2]);
    expect(() => hyperNumbers({ hiddenUnits: 4 }, 'hiddenUnits', [16])).toThrow(/list of numbers/);
  });
});
