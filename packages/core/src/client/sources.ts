import type { ArtifactStore } from '../artifact-store/artifact-store.js';
import type { MaterializerRegistry } from '../materializers/registry.js';
import type { MetadataStore } from '../metadata/metadata-store.js';

/**
 * What the Client reads from: a metadata store, the artifact store + materializers to load values, and
 * (from a Stack) its other components.
 */
export interface ClientSources {
  readonly database: MetadataStore;
  readonly artifactStore: ArtifactStore;
  readonly materializers: MaterializerRegistry;
  /** The stack's optional components by type (a Stack has them): `client.models()` reads `model_registry`. */
  readonly extras?: ReadonlyMap<string, unknown>;
}
