import type { Vector } from 'apache-arrow';
import type { Task } from './adapter.js';

/**
 * Labels as numbers in shared memory instead of one JS value per row: class indices into the sorted
 * class names (the order `classListOf` gives), or regression targets. At 8M training rows the JS
 * array of label strings, and its structured-clone copy in the worker, were most of a gigabyte.
 */
export type EncodedLabels =
  | { readonly kind: 'classes'; readonly classes: string[]; readonly codes: Float64Array }
  | { readonly kind: 'values'; readonly values: Float64Array };

export function isEncodedLabels(y: unknown): y is EncodedLabels {
  return typeof y === 'object' && y !== null && 'kind' in y;
}

/** Encodes a label column's non-null values (rows with a null label are left out, as fitBundle does). */
export function encodeLabelVector(vector: Vector, task: Task): EncodedLabels {
  const n = vector.length - vector.nullCount;
  const shared = () => new Float64Array(new SharedArrayBuffer(Math.max(1, n) * 8)).subarray(0, n);
  const out = shared();
  let at = 0;
  if (task === 'regression') {
    for (let i = 0; i < vector.length; i++) {
      const v = vector.get(i);
      if (v === null || v === undefined) continue;
      const value = typeof v === 'number' ? v : Number(v);
      if (!Number.isFinite(value)) throw new Error(`Regression label ${JSON.stringify(v)} is not a number`);
      out[at++] = value;
    }
    return { kind: 'values', values: out };
  }
  // First-seen ids while reading, remapped to the sorted class order at the end.
  const ids = new Map<string, number>();
  for (let i = 0; i < vector.length; i++) {
    const v = vector.get(i);
    if (v === null || v === undefined) continue;
    const key = String(v);
    let id = ids.get(key);
    if (id === undefined) {
      id = ids.size;
      ids.set(key, id);
    }
    out[at++] = id;
  }
  const classes = [...ids.keys()].sort();
  const remap = new Float64Array(ids.size);
  for (const [name, id] of ids) remap[id] = classes.indexOf(name);
  for (let i = 0; i < at; i++) out[i] = remap[out[i]!]!;
  return { kind: 'classes', classes, codes: out };
}
