import type { ModelRegistry } from '@strata/core';
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

/** Resolves `NAME@alias|version` in the registry and loads its TrainedModel bundle from the artifact store. */
export async function loadModelVersion(
  registry: ModelRegistry,
  store: ArtifactStore,
  ref: string | ModelVersionRecord,
): Promise<LoadedModelVersion> {
  const record = typeof ref === 'string' ? await registry.resolve(ref) : ref;
  const artifact = await registry.artifact(record);
  const value = await loadArtifact({ store, materializers: new MaterializerRegistry() }, artifact);
  return { record, bundle: validateTrainedModel(value) };
}
