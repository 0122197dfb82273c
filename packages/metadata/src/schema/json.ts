import type { JsonValue } from '@strata/core';
import { StrataError } from '@strata/core';

/** JSON columns are text; the JSON value `null` is stored as SQL NULL so both read back as `null`. */
export function toJson(value: JsonValue | undefined): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

export function fromJson(text: string | null): JsonValue {
  return text === null ? null : (JSON.parse(text) as JsonValue);
}

/**
 * A versioned document column (snapshot body, cache parts): text that is not JSON is a `record_corrupt`
 * naming the column and the row, like a document that does not match its schema.
 */
export function documentFromJson(text: string | null, field: string, id: string): JsonValue {
  try {
    return fromJson(text);
  } catch (error) {
    throw new StrataError(`${field} of ${id} is corrupt: it is not JSON (${(error as Error).message})`, {
      code: 'record_corrupt',
      field,
      value: id,
      fix: 'the stored row was changed outside Strata or is damaged: restore the metadata store from a backup, or from a file written by `strata export` and loaded with `strata import`',
    });
  }
}
