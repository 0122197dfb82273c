import type { Dataset } from '../data/table.js';
import { applyTransform } from '../features/transform.js';
import type { ModelAdapter, Target } from './adapter.js';
import type { TrainedModel } from './bundle.js';
import { loadModel } from './registry.js';

export interface Predictions {
  /** One per input row: a class name (classification) or a number (regression). */
  readonly predictions: Target[];
  /** Classification, when the model gives them: per row, probabilities in `classes` order. */
  readonly probabilities?: number[][];
  readonly classes?: string[];
}

/** Restored models, per bundle object, so a serving loop does not deserialise on every request. */
const loaded = new WeakMap<TrainedModel, Promise<ModelAdapter>>();

/**
 * Predict from raw rows (or a table) with a trained-model bundle: apply the fitted transform,
 * then the model. The one path for batch inference and for serving.
 */
export async function predictRows(bundle: TrainedModel, data: Dataset): Promise<Predictions> {
  let model = loaded.get(bundle);
  if (!model) {
    model = loadModel(bundle.model);
    loaded.set(bundle, model);
    model.catch(() => loaded.delete(bundle));
  }
  const adapter = await model;
  const { X } = applyTransform(bundle.transform, data);
  const predictions = adapter.predict(X);
  if (bundle.task === 'classification' && adapter.predictProba) {
    return { predictions, probabilities: adapter.predictProba(X), classes: [...(bundle.classes ?? [])] };
  }
  return { predictions };
}

/** Drop the restored model of a bundle and free its memory (tfjs tensors); the next prediction restores it again. */
export async function releaseModel(bundle: TrainedModel): Promise<void> {
  const model = loaded.get(bundle);
  loaded.delete(bundle);
  (await model?.catch(() => undefined))?.dispose?.();
}
