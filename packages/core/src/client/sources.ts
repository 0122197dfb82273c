import type { ArtifactStore } from '../artifact-store/artifact-store.js';
import type { MaterializerRegistry } from '../materializers/registry.js';
import type { MetadataStore } from '../metadata/metadata-store.js';

/** What the Client reads from: a metadata store, and the artifact store + materializers to load values. */
export interface ClientSources {
  readonly database: MetadataStore;
  readonly artifactStore: ArtifactStore;
  readonly materializers: MaterializerRegistry;
}
