// Only the flavor is loaded eagerly; the AWS SDK is imported when a stack uses the store.

export type { S3ArtifactStore, S3ArtifactStoreOptions } from './artifact-store.js';
export * from './flavor.js';
export { s3Plugin as plugin } from './flavor.js';
export { s3SourceFingerprinter } from './source-fingerprint.js';
export { s3SourceReader } from './source-reader.js';
