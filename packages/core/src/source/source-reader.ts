import type { Readable } from 'node:stream';
import { StrataError } from '../errors/strata-error.js';
import { globToRegExp } from './glob.js';
import { type ListedObject, listingFingerprint } from './listing-fingerprint.js';
import type { FingerprintContext, SourceFingerprint, SourceScheme, SourceSpec } from './source-spec.js';

/**
 * One object of a fingerprinted source, pinned to the version the fingerprint recorded: every read
 * is conditional on it (S3 If-Match / VersionId, GCS ifGenerationMatch, Azure If-Match), so an
 * object replaced after the fingerprint fails with `source_changed` instead of yielding other data.
 */
export interface SourceObject {
  /** The full URI of the object. */
  readonly uri: string;
  /** Relative to the source's prefix (the object's base name for a single-object source). */
  readonly name: string;
  readonly size: number;
  /** What reads are pinned to: `version:<id>`, `generation:<n>` or `etag:<value>`. */
  readonly version: string;
  /** Bytes [start, end) of the object. */
  read(start: number, end: number, signal?: AbortSignal): Promise<Uint8Array>;
  /** The whole object, front to back (bounded memory: the SDK's response stream). */
  stream(signal?: AbortSignal): Readable;
}

/**
 * Reads the data of object-store sources (s3://, gs://, az://), contributed by the integration that
 * fingerprints them (beside its SourceFingerprinter). Like the fingerprinter it reuses the stack's
 * artifact store's endpoint and credentials (secret references resolved) when the store is of its
 * flavor, else its SDK's own chain.
 */
export interface SourceReader {
  readonly schemes: readonly SourceScheme[];
  /** The artifact-store flavor whose resolved config this reader can reuse. */
  readonly storeFlavor?: string;
  /**
   * The objects of `spec` as `fingerprint` recorded them, in name order: a single object is pinned to
   * its recorded version; a prefix is listed again and must give the same fingerprint digest (else
   * `source_changed`), each object pinned to the version that listing saw.
   */
  objects(
    spec: SourceSpec,
    fingerprint: SourceFingerprint,
    context: FingerprintContext,
  ): Promise<SourceObject[]>;
}

/** The error for data that changed between its fingerprint (the cache key, lineage) and its read. */
export function sourceChanged(uri: string, detail: string, cause?: unknown): StrataError {
  return new StrataError(`source ${uri} changed after it was fingerprinted: ${detail}`, {
    code: 'source_changed',
    field: 'source',
    value: uri,
    fix: 'run again: the step will fingerprint and read the new version (stop writers from replacing the data while a run reads it)',
    ...(cause === undefined ? {} : { cause }),
  });
}

/**
 * The error for a source object that cannot be read (missing, no access, store down); `fix` names
 * what to check for that store. A StrataError (a `source_changed` already) passes through.
 */
export function sourceUnreachable(uri: string, error: unknown, fix: string): StrataError {
  if (error instanceof StrataError) return error;
  const e = error as Error;
  // SDK errors often say most in their name (S3's NoSuchKey, AccessDenied); only the first line.
  const what = `${e.name && e.name !== 'Error' ? `${e.name}: ` : ''}${String(e.message ?? error).split('\n')[0]}`;
  return new StrataError(`source ${uri} cannot be read: ${what}`, {
    code: 'source_unreachable',
    field: 'source',
    value: uri,
    fix,
    cause: error,
  });
}

/**
 * The objects of a prefix listing that make up a source (glob applied, sorted by name, as
 * listingFingerprint keeps them), checked against the fingerprint the step's cache key used: a
 * different digest is `source_changed`, naming the objects added, removed or replaced when the
 * fingerprint kept its entries.
 */
export function pinnedListing<T extends ListedObject>(
  spec: SourceSpec,
  scheme: 's3' | 'gs' | 'az',
  listed: readonly T[],
  fingerprint: SourceFingerprint,
): T[] {
  const pattern = spec.glob === undefined ? undefined : globToRegExp(spec.glob);
  const kept = listed
    .filter((o) => o.name !== '' && (!pattern || pattern.test(o.name)))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  const now = kept.length === 0 ? undefined : listingFingerprint(spec, scheme, kept);
  if (now?.digest === fingerprint.digest) return kept;
  const before = fingerprint.entries;
  if (!now) throw sourceChanged(spec.uri, 'it matches no object any more');
  if (!before)
    throw sourceChanged(spec.uri, `its listing differs (${fingerprint.count} -> ${now.count} objects)`);
  const names = new Set([...Object.keys(before), ...Object.keys(now.entries ?? {})]);
  const changes: string[] = [];
  for (const name of [...names].sort()) {
    const a = before[name];
    const b = now.entries?.[name];
    if (a === b) continue;
    changes.push(
      a === undefined ? `${name} added` : b === undefined ? `${name} removed` : `${name} replaced`,
    );
  }
  throw sourceChanged(spec.uri, changes.slice(0, 5).join(', ') + (changes.length > 5 ? ', ...' : ''));
}
