import type { z } from 'zod';

interface ObjectDef {
  readonly type?: string;
  readonly shape?: Record<string, unknown>;
  readonly catchall?: { _zod?: { def?: { type?: string } } };
  readonly innerType?: unknown;
  readonly in?: unknown;
  readonly schema?: unknown;
}

/**
 * The parameter names a params schema accepts, or undefined when it accepts any name (a loose or
 * catch-all object, a record, or a schema whose shape cannot be read). zod's default object *strips*
 * unknown keys, which is why a misspelled `--param factr=3` used to be ignored silently: callers
 * compare the given names with these before parsing.
 */
export function knownParams(schema: z.ZodType): ReadonlySet<string> | undefined {
  let current: unknown = schema;
  for (let depth = 0; depth < 8 && current; depth++) {
    const def = (current as { _zod?: { def?: ObjectDef } })._zod?.def;
    if (!def) return undefined;
    if (def.type === 'object') {
      const catchall = def.catchall?._zod?.def?.type;
      // `.strict()` (catchall never) reports unknown keys itself; `.loose()`/`.catchall(x)` accept them.
      if (catchall !== undefined && catchall !== 'never') return undefined;
      return new Set(Object.keys(def.shape ?? {}));
    }
    // default(), optional(), prefault(), readonly(), catch(): the object is inside; pipe(): its input.
    current = def.innerType ?? def.in ?? def.schema;
  }
  return undefined;
}
