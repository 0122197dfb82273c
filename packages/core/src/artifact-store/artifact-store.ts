import type { Readable } from 'node:stream';

export interface ObjectInfo {
  readonly key: string;
  readonly size: number;
  /** sha256 hex when the store records it (all Strata artifacts have one). */
  readonly sha256?: string;
}

export interface PutOptions {
  readonly size?: number;
  /** The sha256 the caller already computed; stores attach it to the object and may verify it. */
  readonly sha256?: string;
}

/**
 * The only operations Strata needs from a place that keeps bytes. Keys are '/'-separated relative
 * paths that may contain any Unicode. A `put` is atomic: readers see the whole object or nothing,
 * never a partial write (local: temp file + rename; object stores: their single-request or
 * commit-on-complete uploads). Content addressing, integrity checks and materialization live above
 * this interface, so a new store only has to move bytes.
 */
export interface ArtifactStore {
  /** Stable identity (e.g. `local:/abs/path`, `s3://bucket/prefix`), part of every cache key. */
  readonly identity: string;
  put(key: string, body: Readable, options?: PutOptions): Promise<void>;
  /**
   * Optional fast path for bytes already spooled to a local file. The store may consume the file
   * (rename it into place); callers must not use it afterwards.
   */
  putFile?(key: string, path: string, options?: PutOptions): Promise<void>;
  /** Directory in which spool files should be written so that `putFile` can rename instead of copy. */
  readonly spoolDir?: string;
  /**
   * Optional server-side copy of the object at `from` to `to` (with `options.sha256` recorded on the
   * copy), atomic like `put`. Implement it only when it moves no bytes through the client and costs
   * far less than an upload: writeBlob then hashes and uploads in one pass to a staging key and copies
   * the result to its content address, instead of spooling the whole artifact to disk first.
   */
  copy?(from: string, to: string, options?: PutOptions): Promise<void>;
  get(key: string): Promise<Readable>;
  /**
   * Optional, for stores that keep objects as local files: the file that holds `key`. Strata only
   * reads it (a kernel copy of a large file artifact while the same file is hashed and verified).
   */
  localPath?(key: string): string;
  stat(key: string): Promise<ObjectInfo | undefined>;
  exists(key: string): Promise<boolean>;
  list(prefix: string): AsyncIterable<ObjectInfo>;
  delete(key: string): Promise<void>;
  /** A URI a human or another tool can use to find the object. */
  uri(key: string): string;
  close?(): Promise<void>;
}
