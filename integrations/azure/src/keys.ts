import { StrataError } from '@strata/core';

/** `"/a/b/"` -> `"a/b/"`, `""` -> `""`: the prefix every key of a store starts with. */
export function normalizePrefix(prefix: string): string {
  const trimmed = prefix.replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? '' : `${trimmed}/`;
}

/** Validates a Strata key (relative, '/'-separated, any Unicode) and places it under the prefix. */
export function objectName(root: string, key: string): string {
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
  return root + key;
}
