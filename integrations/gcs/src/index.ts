// Only the flavor is loaded eagerly; the Google Cloud SDK is imported when a stack uses the store.

export type { GcsArtifactStore, GcsArtifactStoreOptions } from './artifact-store.js';
export * from './flavor.js';
export { gcsPlugin as plugin } from './flavor.js';
export { gcsSourceFingerprinter } from './source-fingerprint.js';
export { gcsSourceReader } from './source-reader.js';
