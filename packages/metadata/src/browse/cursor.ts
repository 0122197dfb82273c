import { StrataError } from '@strata/core';

/**
 * Keyset cursors are opaque to clients: base64url of `[sortValue, id]`. Decoding checks the shape, so
 * a forged or truncated cursor is a clear input error, never a SQL error or a silently wrong page.
 */
export type CursorKey = readonly [value: number | string, id: string];

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): CursorKey {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (
    Array.isArray(parsed) &&
    parsed.length === 2 &&
    (typeof parsed[0] === 'number' || typeof parsed[0] === 'string') &&
    typeof parsed[1] === 'string'
  ) {
    return [parsed[0], parsed[1]];
  }
  throw new StrataError(`cursor "${cursor.slice(0, 64)}" is not a cursor this server issued`, {
    code: 'invalid_cursor',
    field: 'cursor',
    value: cursor.slice(0, 64),
    fix: 'pass the nextCursor of a previous page unchanged, or leave cursor out for the first page',
  });
}
