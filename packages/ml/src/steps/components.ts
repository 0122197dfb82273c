import { ModelRegistry, type StepContext } from '@strata/core';
import type { ArtifactStore } from '@strata/core/plugin';

/** The active stack's model registry and artifact store, as a step sees them. */
export function registryOf(context: StepContext): { registry: ModelRegistry; store: ArtifactStore } {
  return {
    registry: context.component(ModelRegistry),
    store: context.component<ArtifactStore>('artifact_store'),
  };
}
