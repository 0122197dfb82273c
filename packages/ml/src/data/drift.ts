import type { Table } from 'apache-arrow';
import { round, sortedCopy } from './numeric.js';
import type { ColumnProfile, NumericProfile } from './profile.js';
import { type DatasetProfile, profileOfTable } from './profile.js';
import type { ColumnType } from './table.js';

export interface DriftOptions {
  /** Features to compare. Default: every column of the baseline. */
  readonly features?: readonly string[];
  /** A feature drifts when its PSI exceeds this. Default 0.2 (0.1-0.2 is usually read as moderate shift). */
  readonly psiThreshold?: number;
  /** A numeric feature drifts when the KS test's p-value is below this; 0 turns the KS check off. Default 0.05. */
  readonly ksPValueThreshold?: number;
  /** PSI bins for numerics, cut at the baseline's quantiles. Default 10. */
  readonly bins?: number;
}

export interface KsResult {
  /** Largest distance between the two empirical CDFs, in [0, 1]. */
  readonly statistic: number;
  readonly pValue: number;
}

export interface FeatureDrift {
  readonly name: string;
  readonly type: ColumnType;
  /** Population stability index of current vs baseline; null when either side has no rows. */
  readonly psi: number | null;
  readonly ks: KsResult | null;
  readonly drifted: boolean;
  /** Why the feature drifted (empty when it did not). */
  readonly reasons: string[];
}

export interface DriftResult {
  /** Names of the drifted features. */
  readonly drifted: string[];
  readonly features: FeatureDrift[];
  readonly thresholds: { readonly psi: number; readonly ksPValue: number };
}

const MISSING = '\u0000missing';
/** Share given to empty buckets so PSI stays finite. */
const EPSILON = 1e-4;

/**
 * Drift (or training/serving skew) of `current` against `baseline`, per feature: PSI for every
 * feature (numeric bins at the baseline's quantiles; missing values are a bucket of their own)
 * and the two-sample Kolmogorov-Smirnov test for numerics. Both sides are profiled in one pass
 * (DatasetProfile), so the result equals the exact one while columns fit the sketches' exact
 * mode and is read from the sketches beyond (rank error 0.3 % of each side's count).
 */
export function detectDrift(baseline: Table, current: Table, options: DriftOptions = {}): DriftResult {
  return detectDriftFromProfiles(profileOfTable(baseline), profileOfTable(current), options);
}

/** Drift between two profiles (e.g. each built over a stream of record batches). */
export function detectDriftFromProfiles(
  baseline: DatasetProfile,
  current: DatasetProfile,
  options: DriftOptions = {},
): DriftResult {
  const psiThreshold = options.psiThreshold ?? 0.2;
  const ksPValueThreshold = options.ksPValueThreshold ?? 0.05;
  const features = (options.features ?? [...baseline.columns.keys()]).map((name): FeatureDrift => {
    const before = baseline.columns.get(name);
    if (!before) throw new Error(`Column "${name}" not found in the baseline`);
    const type = before.type;
    const after = current.columns.get(name);
    if (!after) {
      return {
        name,
        type,
        psi: null,
        ks: null,
        drifted: true,
        reasons: [`"${name}" is missing from the current data`],
      };
    }
    if (after.type !== type) {
      return {
        name,
        type,
        psi: null,
        ks: null,
        drifted: true,
        reasons: [`"${name}" changed type from ${type} to ${after.type}`],
      };
    }
    const empty = before.count + before.missing === 0 || after.count + after.missing === 0;
    const psi = empty
      ? null
      : type === 'numeric'
        ? numericPsi(before as NumericProfile, after as NumericProfile, options.bins ?? 10)
        : categoricalPsi(before, after);
    const ks = type === 'numeric' ? ksFromProfiles(before as NumericProfile, after as NumericProfile) : null;
    const reasons: string[] = [];
    if (psi !== null && psi > psiThreshold) reasons.push(`PSI ${psi} exceeds ${psiThreshold}`);
    if (ks !== null && ks.pValue < ksPValueThreshold) {
      reasons.push(`KS statistic ${ks.statistic} with p-value ${ks.pValue} is below ${ksPValueThreshold}`);
    }
    return { name, type, psi, ks, drifted: reasons.length > 0, reasons };
  });
  return {
    drifted: features.filter((f) => f.drifted).map((f) => f.name),
    features,
    thresholds: { psi: psiThreshold, ksPValue: ksPValueThreshold },
  };
}

/** PSI = sum over buckets of (current - baseline) * ln(current / baseline), shares of all rows. */
export function psiFromCounts(
  baseline: ReadonlyMap<string, number>,
  current: ReadonlyMap<string, number>,
): number {
  const totalBefore = sum(baseline.values());
  const totalAfter = sum(current.values());
  const buckets = new Set([...baseline.keys(), ...current.keys()]);
  let psi = 0;
  for (const bucket of buckets) {
    const b = Math.max((baseline.get(bucket) ?? 0) / totalBefore, EPSILON);
    const a = Math.max((current.get(bucket) ?? 0) / totalAfter, EPSILON);
    psi += (a - b) * Math.log(a / b);
  }
  return round(psi, 10);
}

/** Bucket j holds values v with edges[j-1] < v <= edges[j] (the exact version's `v > edge` walk). */
function numericPsi(before: NumericProfile, after: NumericProfile, bins: number): number {
  const edges =
    before.count === 0
      ? []
      : [...new Set(Array.from({ length: bins - 1 }, (_, i) => before.sketch.quantile((i + 1) / bins)))];
  const buckets = (side: NumericProfile) => {
    const counts = new Map<string, number>();
    let previous = 0;
    for (let j = 0; j <= edges.length; j++) {
      const upTo = j < edges.length ? side.sketch.rank(edges[j]!) : side.count;
      if (upTo - previous > 0) counts.set(String(j), upTo - previous);
      previous = upTo;
    }
    if (side.missing > 0) counts.set(MISSING, side.missing);
    return counts;
  };
  return psiFromCounts(buckets(before), buckets(after));
}

function categoricalPsi(before: ColumnProfile, after: ColumnProfile): number {
  const buckets = (side: ColumnProfile) => {
    const counts = new Map<string, number>();
    if (side.type === 'categorical')
      for (const [value, count] of side.values.entries()) counts.set(value, count);
    else if (side.type === 'boolean') {
      if (side.trueCount > 0) counts.set('true', side.trueCount);
      if (side.count - side.trueCount > 0) counts.set('false', side.count - side.trueCount);
    }
    if (side.missing > 0) counts.set(MISSING, side.missing);
    return counts;
  };
  return psiFromCounts(buckets(before), buckets(after));
}

function ksFromProfiles(before: NumericProfile, after: NumericProfile): KsResult | null {
  if (before.count === 0 || after.count === 0) return null;
  const a = before.sketch.exactSorted();
  const b = after.sketch.exactSorted();
  if (a && b) return ksTwoSample([...a], [...b]);
  // Sketched: the largest CDF distance over every retained value of either side.
  const points = new Set([...before.sketch.weighted().values, ...after.sketch.weighted().values]);
  let d = 0;
  for (const x of points) {
    d = Math.max(d, Math.abs(before.sketch.rank(x) / before.count - after.sketch.rank(x) / after.count));
  }
  return ksFromStatistic(d, before.count, after.count);
}

/** Two-sample Kolmogorov-Smirnov statistic with its asymptotic p-value (Numerical Recipes' probks). */
export function ksTwoSample(first: readonly number[], second: readonly number[]): KsResult {
  const a = sortedCopy(first);
  const b = sortedCopy(second);
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < a.length && j < b.length) {
    const x = Math.min(a[i]!, b[j]!);
    while (i < a.length && a[i]! <= x) i++;
    while (j < b.length && b[j]! <= x) j++;
    d = Math.max(d, Math.abs(i / a.length - j / b.length));
  }
  return ksFromStatistic(d, a.length, b.length);
}

function ksFromStatistic(d: number, n: number, m: number): KsResult {
  const en = Math.sqrt((n * m) / (n + m));
  return { statistic: round(d, 10), pValue: round(kolmogorovQ((en + 0.12 + 0.11 / en) * d), 10) };
}

/** Q_KS(lambda) = 2 * sum_{j>=1} (-1)^(j-1) exp(-2 j^2 lambda^2): the probability of a larger distance. */
function kolmogorovQ(lambda: number): number {
  const a2 = -2 * lambda * lambda;
  let sign = 2;
  let total = 0;
  let previous = 0;
  for (let j = 1; j <= 100; j++) {
    const term = sign * Math.exp(a2 * j * j);
    total += term;
    if (Math.abs(term) <= 0.001 * previous || Math.abs(term) <= 1e-8 * total) {
      return Math.min(1, Math.max(0, total));
    }
    sign = -sign;
    previous = Math.abs(term);
  }
  return 1;
}

function sum(values: Iterable<number>): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}
