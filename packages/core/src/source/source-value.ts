import type { SourceObject } from './source-reader.js';
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
  /**
   * For an s3://, gs:// or az:// source: its objects as fingerprinted, through the stack's reader for
   * the scheme (the artifact store's endpoint and credentials when the store is of that cloud), each
   * read pinned to the fingerprinted version (`source_changed` if it was replaced since).
   */
  objects?(signal?: AbortSignal): Promise<SourceObject[]>;
}
