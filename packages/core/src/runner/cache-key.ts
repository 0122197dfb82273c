import { hashJson } from '../hash/canonical-json.js';
import type { JsonValue } from '../metadata/records.js';

/** The named parts a cache key is hashed from; stored so a miss can say which part changed. */
export interface CacheParts {
  readonly code: string;
  readonly params: Record<string, JsonValue>;
  /** input name -> content hash (or the list of hashes of a collected input) */
  readonly inputs: Record<string, string | string[]>;
  /** output name -> materializer id@version ("auto" when chosen from the value) */
  readonly outputs: Record<string, string>;
  readonly store: string;
}

export function cacheKey(parts: CacheParts): string {
  return hashJson(parts);
}

/** Human reasons for a miss, comparing with the parts of the previous run of the same step. */
export function explainMiss(step: string, current: CacheParts, previous: CacheParts | undefined): string {
  if (!previous) return `miss: first run of \`${step}\``;
  const reasons: string[] = [];
  if (current.code !== previous.code) {
    reasons.push(
      current.code.startsWith('version:') ? `version of \`${step}\` changed` : `code of \`${step}\` changed`,
    );
  }
  for (const name of new Set([...Object.keys(current.params), ...Object.keys(previous.params)])) {
    const a = JSON.stringify(previous.params[name]);
    const b = JSON.stringify(current.params[name]);
    if (a !== b) reasons.push(`parameter \`${name}\` changed (${a ?? 'unset'} -> ${b ?? 'unset'})`);
  }
  for (const name of new Set([...Object.keys(current.inputs), ...Object.keys(previous.inputs)])) {
    if (JSON.stringify(current.inputs[name]) !== JSON.stringify(previous.inputs[name])) {
      reasons.push(`input \`${name}\` content changed`);
    }
  }
  if (JSON.stringify(current.outputs) !== JSON.stringify(previous.outputs))
    reasons.push('outputs or their materializers changed');
  if (current.store !== previous.store) reasons.push('artifact store changed');
  return reasons.length > 0
    ? `miss: ${reasons.join('; ')}`
    : 'miss: no reusable result (previous run failed, expired or was not cached)';
}
