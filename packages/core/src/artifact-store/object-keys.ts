import { StrataError } from '../errors/strata-error.js';

/**
 * Key helpers for artifact stores over a flat object namespace (S3, GCS, Azure Blob), where a
 * store's objects live under a prefix and a Strata key becomes the rest of the object name.
 */

/** `"/a/b/"` -> `"a/b/"`, `""` -> `""`: the prefix every object name of a store starts with. */
export function normalizeObjectPrefix(prefix: string): string {
  const trimmed = prefix.replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? '' : `${trimmed}/`;
}

/**
 * Validates a Strata key (relative, '/'-separated, any Unicode) and places it under `prefix` (a
 * prefix from normalizeObjectPrefix). Empty, "." and ".." segments are refused: object stores
 * would keep them literally, and a local store would resolve them outside its root.
 */
export function prefixedObjectName(prefix: string, key: string): string {
  if (
    key.length === 0 ||
    key.startsWith('/') ||
    key.split('/').some((part) => part === '..' || part === '.' || part === '')
  ) {
    throw new StrataError(`invalid artifact key "${key}"`, {
      code: 'invalid_key',
      field: 'key',
      value: key,
      fix: 'use a relative path without empty, "." or ".." segments',
    });
  }
  return prefix + key;
}
