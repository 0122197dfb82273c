/** Small numeric helpers shared by statistics, drift, transforms and metrics. */

export function presentNumbers(values: readonly (number | null)[]): number[] {
  return values.filter((v): v is number => v !== null && Number.isFinite(v));
}

/** Numbers as a JS array or a typed array (columns read straight from Arrow buffers). */
export type Numbers = readonly number[] | Float64Array;

// Indexed loops, not for-of: for-of over a typed array was most of a million-row fit's time.
export function mean(values: Numbers): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return sum / values.length;
}

/** Population standard deviation. */
export function std(values: Numbers): number {
  const m = mean(values);
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const d = values[i]! - m;
    sum += d * d;
  }
  return Math.sqrt(sum / values.length);
}

export function sortedCopy(values: Numbers): number[] {
  return [...values].sort((a, b) => a - b);
}

/** Quantile `q` in [0, 1] of sorted values, interpolating linearly between ranks (numpy's default). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) throw new Error('quantile of no values');
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const a = sorted[lower]!;
  const b = sorted[upper]!;
  return a + (b - a) * (position - lower);
}

export function median(values: Numbers): number {
  return quantileSorted(sortedCopy(values), 0.5);
}

/** The most frequent value; ties go to the smallest in sort order so the result is deterministic. */
export function mode<T extends string | number | boolean>(values: Iterable<T>): T | null {
  return modeOfCounts(countValues(values));
}

/** `mode` from value counts (in first-seen order, as countValues gives them). */
export function modeOfCounts<T extends string | number | boolean>(counts: ReadonlyMap<T, number>): T | null {
  let best: T | null = null;
  let bestCount = 0;
  for (const [value, count] of counts) {
    if (count > bestCount || (count === bestCount && best !== null && compareValues(value, best) < 0)) {
      best = value;
      bestCount = count;
    }
  }
  return best;
}

export function countValues<T>(values: Iterable<T>): Map<T, number> {
  const counts = new Map<T, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}

export function compareValues(a: string | number | boolean, b: string | number | boolean): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** Rounds away floating-point noise so stored JSON stays readable and stable. */
export function round(value: number, digits = 12): number {
  return Number.parseFloat(value.toPrecision(digits));
}
