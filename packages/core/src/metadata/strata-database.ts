import type { ComponentStore } from './component-store.js';
import type { LivenessStore } from './liveness-store.js';
import type { MetadataStore } from './metadata-store.js';
import type { ModelRegistryStore } from './model-registry-store.js';
import type { SourceDigestStore } from './source-digest-store.js';
import type { TriggerStore } from './trigger-store.js';

/** One database serves lineage, stack configuration, the model registry and continuous training. */
export interface StrataDatabase
  extends MetadataStore,
    ComponentStore,
    ModelRegistryStore,
    TriggerStore,
    LivenessStore,
    SourceDigestStore {}
