import { createHash } from 'node:crypto';

/**
 * JSON with sorted object keys and no whitespace, so equal values always hash equally. Undefined
 * properties are dropped (as JSON.stringify does); non-finite numbers are rejected because they would
 * silently become null and collide with a real null.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(normalize(value, '$'));
}

function normalize(value: unknown, path: string): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`${path} is ${value}, which has no canonical JSON form`);
    return value;
  }
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map((item, i) => normalize(item === undefined ? null : item, `${path}[${i}]`));
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const item = (value as Record<string, unknown>)[key];
      if (item !== undefined && typeof item !== 'function') out[key] = normalize(item, `${path}.${key}`);
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
