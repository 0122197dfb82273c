import { createHash } from 'node:crypto';

export interface CanonicalJsonOptions {
  /**
   * `error` (default, for hashes of parameters and configs, where NaN silently becoming null would
   * collide with a real null) or `null` (JSON.stringify's behaviour, for stored values such as
   * third-party model dumps that contain -Infinity).
   */
  readonly nonFinite?: 'error' | 'null';
}

/**
 * JSON with sorted object keys and no whitespace, so equal values always hash equally. Undefined
 * properties are dropped, as JSON.stringify does.
 */
export function canonicalJson(value: unknown, options: CanonicalJsonOptions = {}): string {
  return JSON.stringify(normalize(value, '$', options.nonFinite === 'null'));
}

function normalize(value: unknown, path: string, nonFiniteAsNull: boolean): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return value;
    if (nonFiniteAsNull) return null;
    throw new TypeError(`${path} is ${value}, which has no canonical JSON form`);
  }
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value))
    return value.map((item, i) =>
      normalize(item === undefined ? null : item, `${path}[${i}]`, nonFiniteAsNull),
    );
  if (value instanceof Date) return value.toISOString();
  // Honour toJSON() as JSON.stringify does (class instances such as matrices serialize themselves).
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return normalize((value as { toJSON: () => unknown }).toJSON(), path, nonFiniteAsNull);
  }
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const item = (value as Record<string, unknown>)[key];
      if (item !== undefined && typeof item !== 'function')
        out[key] = normalize(item, `${path}.${key}`, nonFiniteAsNull);
    }
    return out;
  }
  return null;
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function hashJson(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}
