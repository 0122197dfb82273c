import type { Dataset } from '../data/table.js';
import { applyTransform } from '../features/transform.js';
import type { ModelAdapter, Target } from './adapter.js';
import type { TrainedModel } from './bundle.js';
import { argMax } from './classes.js';
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
 * then the model. The one path for batch inference and for serving. A classifier with
 * probabilities predicts its most probable class.
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
  if (bundle.task === 'classification' && adapter.predictProba) {
    // Every built-in classifier predicts the most probable class, so one pass gives both.
    const classes = [...(adapter.classes ?? bundle.classes ?? [])];
    const probabilities = adapter.predictProba(X);
    return { predictions: probabilities.map((p) => classes[argMax(p)]!), probabilities, classes };
  }
  return { predictions: adapter.predict(X) };
}

/** Drop the restored model of a bundle and free its memory (tfjs tensors); the next prediction restores it again. */
export async function releaseModel(bundle: TrainedModel): Promise<void> {
  const model = loaded.get(bundle);
  loaded.delete(bundle);
  (await model?.catch(() => undefined))?.dispose?.();
}
