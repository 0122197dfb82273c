import { z } from 'zod';
import type { JsonValue } from '../metadata/records.js';
import type { CacheParts } from '../runner/cache-key.js';
import { builtOnce } from '../util/built-once.js';
import type { Accepting, Defined } from './defined.js';
import { parseStored, type StoredKind, withVersion } from './stored-version.js';

/**
 * The schema of stored cache key parts (runner/cache-key.ts is the type); loose like the snapshot's.
 * Built on first use (builtOnce): a run whose steps need no miss explained never builds it.
 */
function buildCachePartsSchema() {
  const record = <T extends z.ZodType>(value: T) => z.record(z.string(), value);
  const json: z.ZodType<JsonValue> = z.lazy(() =>
    z.union([z.null(), z.boolean(), z.number(), z.string(), z.array(json), record(json)]),
  );

  return z.looseObject({
    code: z.string(),
    files: record(z.string()).optional(),
    packages: record(z.string()).optional(),
    params: record(json),
    inputs: record(z.union([z.string(), z.array(z.string())])),
    sources: record(
      z.looseObject({ uri: z.string(), digest: z.string(), entries: record(z.string()).optional() }),
    ).optional(),
    outputs: record(z.string()),
    store: z.string(),
  });
}
const cachePartsSchema = builtOnce(buildCachePartsSchema);

type Schema = ReturnType<typeof buildCachePartsSchema>;
type Parsed = Defined<z.output<Schema>>;
export type CachePartsSchemaMatches = [
  Parsed extends CacheParts ? true : never,
  CacheParts extends Accepting<z.input<Schema>> ? true : never,
];
const _matches: CachePartsSchemaMatches = [true, true];
void _matches;

export const cachePartsStored: StoredKind = {
  what: 'cache parts of step run',
  field: 'step_runs.cache_parts',
  version: 1,
};

export function storeCacheParts(parts: CacheParts | null): JsonValue {
  return parts === null ? null : withVersion(cachePartsStored, parts);
}

/** Stored cache parts, checked (`null`: the step has no key yet); `id` is the step run's. */
export function parseCacheParts(json: JsonValue, id: string): CacheParts | null {
  return json === null ? null : parseStored(cachePartsStored, cachePartsSchema(), json, id);
}
