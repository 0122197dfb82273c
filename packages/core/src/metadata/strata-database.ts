import type { ComponentStore } from './component-store.js';
import type { MetadataStore } from './metadata-store.js';
import type { ModelRegistryStore } from './model-registry-store.js';

/** One database serves lineage, stack configuration and the model registry. */
export interface StrataDatabase extends MetadataStore, ComponentStore, ModelRegistryStore {}
