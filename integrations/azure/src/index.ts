// Only the flavor is loaded eagerly; the Azure SDK is imported when a stack uses the store.

export type { AzureArtifactStore, AzureArtifactStoreOptions } from './artifact-store.js';
export * from './flavor.js';
export { azurePlugin as plugin } from './flavor.js';
export { azureSourceFingerprinter } from './source-fingerprint.js';
export { azureSourceReader } from './source-reader.js';
