import type { SourceFingerprint } from './source-spec.js';

/**
 * What a step receives for a source input: where the data is, and exactly which version of it the
 * cache key and lineage recorded. For local data `path` is the absolute path (so the value also works
 * where a `t.file()` / `t.directory()` FileRef is expected); object stores and URLs are read by the step.
 */
export interface SourceValue {
  readonly uri: string;
  readonly path?: string;
  readonly fingerprint: SourceFingerprint;
}
