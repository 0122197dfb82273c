import type { JsonValue } from '../metadata/records.js';

/** Where a source's data lives; picks the fingerprinter. `file` covers local files and directories. */
export type SourceScheme = 'file' | 's3' | 'gs' | 'az' | 'http' | 'https';

/** The serializable declaration of a source, recorded in the snapshot. */
export interface SourceSpec {
  /** As declared: a local path (relative to the project root, or absolute) or a URL. */
  readonly uri: string;
  /** For a directory or an object-store prefix: only entries whose relative name matches. */
  readonly glob?: string;
}

/**
 * One observed version of a source. `digest` identifies the data: two fingerprints of the same source
 * with equal digests describe the same bytes (local: a sha256 of the content; object stores: the
 * stores' own version ids and ETags, hashed for prefixes; https: the ETag or Last-Modified).
 */
export interface SourceFingerprint {
  readonly uri: string;
  readonly scheme: SourceScheme;
  /** `sha256:<hex>`, `etag:<value>`, `version:<id>`, … */
  readonly digest: string;
  /** Total bytes, when known without reading. */
  readonly size?: number;
  /** Objects or files that make it up (1 for a single file or object). */
  readonly count: number;
  /**
   * For a directory or prefix: relative name -> digest of each entry (up to ENTRY_LIMIT), so a miss can
   * name the file that was added, removed or changed.
   */
  readonly entries?: Readonly<Record<string, string>>;
  /** Store-specific version details (VersionId, generation, Last-Modified…). */
  readonly details?: Readonly<Record<string, JsonValue>>;
}

/** Entries kept in a fingerprint; a larger directory keeps only its digest and count. */
export const ENTRY_LIMIT = 256;

/** A fingerprinter for one family of schemes, contributed by core (file, http) or an integration (s3, gs, az). */
export interface SourceFingerprinter {
  readonly schemes: readonly SourceScheme[];
  /** The artifact-store flavor whose resolved config (endpoint, credentials) this fingerprinter can reuse. */
  readonly storeFlavor?: string;
  fingerprint(spec: SourceSpec, context: FingerprintContext): Promise<SourceFingerprint>;
}

export interface FingerprintContext {
  /** Relative local paths resolve against this. */
  readonly projectRoot: string;
  /**
   * The resolved config of the stack's artifact store when its flavor serves this scheme (same cloud):
   * its endpoint and credentials are reused; otherwise the SDK's own chain applies.
   */
  readonly storeConfig?: Readonly<Record<string, unknown>>;
  /** The remembered size+mtime+inode -> digest facts of local files (the fast path). */
  readonly memo?: FileDigestMemo;
  readonly signal?: AbortSignal;
}

/** What the fast path remembers of a local file: if none of these changed, neither did the content. */
export interface FileStat {
  readonly size: number;
  readonly mtimeNs: string;
  readonly ino: string;
  readonly dev: string;
}

export interface RememberedDigest extends FileStat {
  readonly sha256: string;
  /** When the hash was taken (epoch ms): a file modified in that same clock tick is hashed again. */
  readonly hashedAt: number;
}

/** Keyed by host and absolute path (an inode means nothing on another machine). */
export interface FileDigestMemo {
  get(key: string): Promise<RememberedDigest | undefined>;
  put(key: string, value: RememberedDigest): Promise<void>;
}

export function schemeOf(uri: string): SourceScheme {
  const match = /^([a-z][a-z0-9+.-]*):\/\//i.exec(uri);
  if (!match) return 'file';
  const scheme = match[1]!.toLowerCase();
  if (scheme === 'file') return 'file';
  if (scheme === 's3' || scheme === 'gs' || scheme === 'az' || scheme === 'http' || scheme === 'https')
    return scheme;
  throw new TypeError(`unsupported source scheme "${scheme}://"`);
}

/** `s3://bucket/some/prefix/` -> { container: 'bucket', key: 'some/prefix/' } (also gs://, az://). */
export function splitObjectUri(uri: string): { container: string; key: string } {
  const rest = uri.replace(/^[a-z0-9]+:\/\//i, '');
  const slash = rest.indexOf('/');
  return slash < 0
    ? { container: rest, key: '' }
    : { container: rest.slice(0, slash), key: rest.slice(slash + 1) };
}
