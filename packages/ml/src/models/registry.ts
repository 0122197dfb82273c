import type { ModelAdapter, ModelAdapterFactory, ModelJSON, Task } from './adapter.js';
import { denseNetwork } from './dense-network.js';
import { gradientBoosting } from './gradient-boosting.js';
import { logisticRegression } from './logistic-regression.js';
import { randomForest } from './random-forest.js';

const factories = new Map<string, ModelAdapterFactory>(
  [randomForest, gradientBoosting, logisticRegression, denseNetwork].map((factory) => [
    factory.kind,
    factory,
  ]),
);

/** Make another algorithm available to `createModel`, `loadModel` and `trainModel` by its kind. */
export function registerModelAdapter(factory: ModelAdapterFactory): void {
  factories.set(factory.kind, factory);
}

export function modelKinds(): string[] {
  return [...factories.keys()].sort();
}

/** The tasks a kind does, or undefined for a kind nobody registered. */
export function modelTasks(kind: string): readonly Task[] | undefined {
  return factories.get(kind)?.tasks;
}

export function createModel(kind: string, task: Task): ModelAdapter {
  const factory = factoryOf(kind);
  if (!factory.tasks.includes(task)) {
    throw new Error(`Model "${kind}" does not do ${task}; it does ${factory.tasks.join(' and ')}`);
  }
  return factory.create(task);
}

export function loadModel(json: ModelJSON): Promise<ModelAdapter> {
  return factoryOf(json.kind).fromJSON(json);
}

function factoryOf(kind: string): ModelAdapterFactory {
  const factory = factories.get(kind);
  if (!factory) throw new Error(`Unknown model kind "${kind}"; known: ${modelKinds().join(', ')}`);
  return factory;
}
