import type { ArtifactRecord, ModelRegistry } from '@strata/core';
import {
  type ArtifactStore,
  loadArtifact,
  MaterializerRegistry,
  type ModelVersionRecord,
} from '@strata/core/plugin';
import type { TrainedModel } from '../models/bundle.js';
import { validateTrainedModel } from '../models/bundle.js';

export interface LoadedModelVersion {
  readonly record: ModelVersionRecord;
  readonly bundle: TrainedModel;
}

/**
 * Resolves `NAME@alias|version` in the registry and loads its TrainedModel bundle from the artifact
 * store. Pass the stack's `materializers` (`stack.materializers`): a model stored by a plugin's
 * materializer (`t.custom('acme.model')`) loads only with them; the default knows the built-in ones.
 */
export function loadModelVersion(
  registry: ModelRegistry,
  store: ArtifactStore,
  ref: string | ModelVersionRecord,
  materializers: MaterializerRegistry = new MaterializerRegistry(),
): Promise<LoadedModelVersion> {
  return resolveModelVersion(registry, ref, (artifact) => loadArtifact({ store, materializers }, artifact));
}

/**
 * The same, loading the bytes with `load`: inside a step, `(a) => ctx.loadArtifact(a)` (the run's store
 * and the stack's materializers, plugins' included).
 */
export async function resolveModelVersion(
  registry: ModelRegistry,
  ref: string | ModelVersionRecord,
  load: (artifact: ArtifactRecord) => Promise<unknown>,
): Promise<LoadedModelVersion> {
  const record = typeof ref === 'string' ? await registry.resolve(ref) : ref;
  return { record, bundle: validateTrainedModel(await load(await registry.artifact(record))) };
}
