import type { z } from 'zod';

interface SchemaDef {
  readonly type?: string;
  readonly shape?: Record<string, unknown>;
  readonly catchall?: { _zod?: { def?: { type?: string } } };
  readonly valueType?: unknown;
  readonly element?: unknown;
  readonly innerType?: unknown;
  readonly in?: unknown;
  readonly schema?: unknown;
}

/** What a params schema (or a part of it) holds, once wrappers are removed. */
type Container =
  | { readonly type: 'object'; readonly shape: Record<string, unknown>; readonly loose: boolean }
  | { readonly type: 'record'; readonly values: unknown }
  | { readonly type: 'array'; readonly element: unknown };

/** The object, record or array inside default(), optional(), nullable(), readonly(), catch(), pipe()… */
function containerOf(schema: unknown): Container | undefined {
  let current: unknown = schema;
  for (let depth = 0; depth < 8 && current; depth++) {
    const def = (current as { _zod?: { def?: SchemaDef } })._zod?.def;
    if (!def) return undefined;
    if (def.type === 'object') {
      const catchall = def.catchall?._zod?.def?.type;
      // `.strict()` (catchall never) lists its keys like a plain object; `.loose()`/`.catchall(x)` accept any.
      return {
        type: 'object',
        shape: def.shape ?? {},
        loose: catchall !== undefined && catchall !== 'never',
      };
    }
    if (def.type === 'record') return { type: 'record', values: def.valueType };
    if (def.type === 'array') return { type: 'array', element: def.element };
    // default(), optional(), prefault(), readonly(), catch(): the value is inside; pipe(): its input.
    current = def.innerType ?? def.in ?? def.schema;
  }
  return undefined;
}

/**
 * The parameter names a params schema accepts, or undefined when it accepts any name (a loose or
 * catch-all object, a record, or a schema whose shape cannot be read). zod's default object *strips*
 * unknown keys, which is why a misspelled `--param factr=3` used to be ignored silently: callers
 * compare the given names with these before parsing.
 */
export function knownParams(schema: z.ZodType): ReadonlySet<string> | undefined {
  const container = containerOf(schema);
  return container?.type === 'object' && !container.loose ? new Set(Object.keys(container.shape)) : undefined;
}

/** A key that a params schema would drop: where it is, what it held, and the keys allowed there. */
export interface UnknownKey {
  /** From the top: `['model', 'tres']`; an array element's index is a string (`['layers', '0', 'size']`). */
  readonly path: readonly string[];
  readonly value: unknown;
  /** The keys the object holding it declares. */
  readonly known: readonly string[];
}

/**
 * The first key of `value`, at any depth, that `schema` does not declare and would strip: a misspelt key
 * inside a nested object (`{ model: { tres: 5 } }` for `model: z.object({ trees })`) is dropped as
 * silently as a top-level one. Objects that accept extra keys (`.loose()`, `.catchall()`) and records
 * are not refused, but the values under their declared keys (or a record's values) are still checked;
 * so are array elements. Unions, intersections and lazy schemas are not looked into.
 */
export function findUnknownKey(
  schema: unknown,
  value: unknown,
  path: readonly string[] = [],
): UnknownKey | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const container = containerOf(schema);
  if (!container) return undefined;
  if (container.type === 'array') {
    if (!Array.isArray(value)) return undefined;
    for (const [i, item] of value.entries()) {
      const found = findUnknownKey(container.element, item, [...path, String(i)]);
      if (found) return found;
    }
    return undefined;
  }
  if (Array.isArray(value)) return undefined;
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined) continue;
    if (container.type === 'record') {
      const found = findUnknownKey(container.values, item, [...path, key]);
      if (found) return found;
    } else if (Object.hasOwn(container.shape, key)) {
      const found = findUnknownKey(container.shape[key], item, [...path, key]);
      if (found) return found;
    } else if (!container.loose) {
      return { path: [...path, key], value: item, known: Object.keys(container.shape) };
    }
  }
  return undefined;
}

/**
 * `params` with the value Strata supplies for the parameter `name` (a trigger's data version, `{ uri, digest, count,
 * added, changed, removed }`) cut to what that parameter declares, at any depth: a pipeline declares
 * the fields it uses, as zod's default object would strip the rest, and the unknown-key check
 * (findUnknownKey) is for what a user typed. Unchanged where the schema accepts any key or cannot be read.
 */
export function withParamDeclared(
  paramsSchema: unknown,
  params: Readonly<Record<string, unknown>>,
  name: string | undefined,
): Record<string, unknown> {
  const container = containerOf(paramsSchema);
  if (name === undefined || !Object.hasOwn(params, name)) return { ...params };
  if (container?.type !== 'object' || !Object.hasOwn(container.shape, name)) return { ...params };
  return { ...params, [name]: onlyDeclared(container.shape[name], params[name]) };
}

function onlyDeclared(schema: unknown, value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  const container = containerOf(schema);
  if (!container) return value;
  if (container.type === 'array')
    return Array.isArray(value) ? value.map((item) => onlyDeclared(container.element, item)) : value;
  if (Array.isArray(value)) return value;
  const kept: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (container.type === 'record') kept[key] = onlyDeclared(container.values, item);
    else if (Object.hasOwn(container.shape, key)) kept[key] = onlyDeclared(container.shape[key], item);
    else if (container.loose) kept[key] = item;
  }
  return kept;
}
