import type { JsonValue } from '@strata/core';

/**
 * Component configs hold `{{secret.NAME.KEY}}` references, never values. Even the references say which
 * secrets exist, so the API replaces every string that contains one.
 */
export function redactSecrets(value: JsonValue): JsonValue {
  if (typeof value === 'string') return value.includes('{{secret.') ? '[secret]' : value;
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, JsonValue> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactSecrets(v);
    return out;
  }
  return value;
}
