import type { JsonValue } from '@strata/core';

/** JSON columns are text; the JSON value `null` is stored as SQL NULL so both read back as `null`. */
export function toJson(value: JsonValue | undefined): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

export function fromJson(text: string | null): JsonValue {
  return text === null ? null : (JSON.parse(text) as JsonValue);
}
