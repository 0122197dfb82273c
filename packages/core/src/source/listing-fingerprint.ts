import { createHash } from 'node:crypto';
import { StrataError } from '../errors/strata-error.js';
import { globToRegExp } from './glob.js';
import { ENTRY_LIMIT, type SourceFingerprint, type SourceSpec } from './source-spec.js';

/** One object of an object-store listing: its name relative to the prefix, its ETag and size. */
export interface ListedObject {
  readonly name: string;
  readonly etag: string;
  readonly size: number;
}

/** A prefix's fingerprint from its listing: sha256 over sorted (name, etag) pairs, entries for miss reasons. */
export function listingFingerprint(
  spec: SourceSpec,
  scheme: 's3' | 'gs' | 'az',
  listed: readonly ListedObject[],
): SourceFingerprint {
  const pattern = spec.glob === undefined ? undefined : globToRegExp(spec.glob);
  const kept = listed.filter((o) => o.name !== '' && (!pattern || pattern.test(o.name)));
  if (kept.length === 0) {
    throw new StrataError(`source ${spec.uri} matches no object`, {
      code: 'source_missing',
      field: 'source',
      value: spec.uri,
      fix: 'check the key or prefix (and the glob); upload the data first',
    });
  }
  kept.sort((a, b) => (a.name < b.name ? -1 : 1));
  const hash = createHash('sha256');
  const entries: Record<string, string> = {};
  for (const o of kept) {
    hash.update(`${o.name}\u0000${o.etag}\n`);
    if (kept.length <= ENTRY_LIMIT) entries[o.name] = `etag:${o.etag}`;
  }
  return {
    uri: spec.uri,
    scheme,
    digest: `etags:${hash.digest('hex')}`,
    size: kept.reduce((n, o) => n + o.size, 0),
    count: kept.length,
    ...(kept.length <= ENTRY_LIMIT ? { entries } : {}),
  };
}
