import type { z } from 'zod';
import { parseOrThrow } from '../errors/parse-or-throw.js';
import { StrataError } from '../errors/strata-error.js';
import type { JsonValue } from '../metadata/records.js';
import { type Defined, definedFromJson } from './defined.js';

/**
 * Documents Strata stores as JSON (snapshot bodies, cache key parts) carry a `schemaVersion` beside their
 * own fields, added when stored and removed when read back, so the document's own hash (a snapshot id,
 * a cache key) never depends on it. A document stored before versioning has none: it is version 1.
 */
export const VERSION_FIELD = 'schemaVersion';

export interface StoredKind {
  /** What the document is, in messages: `snapshot`, `cache parts`. */
  readonly what: string;
  /** Where it is stored, as the error's field: `snapshots.body`. */
  readonly field: string;
  /** The version this code writes; it reads every version up to it. */
  readonly version: number;
}

/** The JSON to store: the document with its schema version. */
export function withVersion(kind: StoredKind, document: object): JsonValue {
  return { ...(document as Record<string, JsonValue>), [VERSION_FIELD]: kind.version };
}

/**
 * Parses a stored document: a clear StrataError when it is not an object, was written by a newer
 * Strata (`record_too_new`) or does not match the schema (`record_corrupt`, naming every problem).
 */
export function parseStored<S extends z.ZodType>(
  kind: StoredKind,
  schema: S,
  json: JsonValue,
  id: string,
): Defined<z.output<S>> {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw corrupt(
      kind,
      id,
      `is ${json === null ? 'null' : Array.isArray(json) ? 'an array' : typeof json}, not an object`,
    );
  }
  const { [VERSION_FIELD]: version = 1, ...document } = json;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw corrupt(kind, id, `has an invalid ${VERSION_FIELD} ${JSON.stringify(version)}`);
  }
  if (version > kind.version) {
    throw new StrataError(
      `${kind.what} ${id} was stored by a newer Strata (${VERSION_FIELD} ${version}; this one reads up to ${kind.version})`,
      {
        code: 'record_too_new',
        field: kind.field,
        value: id,
        fix: 'upgrade Strata to the version that recorded it (every process sharing this metadata store must run it)',
      },
    );
  }
  const parsed = parseOrThrow(schema, document, {
    code: 'record_corrupt',
    what: `${kind.what} ${id} in ${kind.field} is corrupt`,
    fieldPrefix: kind.field,
    fix: 'the stored row was changed outside Strata or is damaged: restore the metadata store from a backup, or from a file written by `strata export` and loaded with `strata import`',
  });
  return definedFromJson(parsed);
}

function corrupt(kind: StoredKind, id: string, problem: string): StrataError {
  return new StrataError(`${kind.what} ${id} in ${kind.field} is corrupt: it ${problem}`, {
    code: 'record_corrupt',
    field: kind.field,
    value: id,
    fix: 'the stored row was changed outside Strata or is damaged: restore the metadata store from a backup, or from a file written by `strata export` and loaded with `strata import`',
  });
}
