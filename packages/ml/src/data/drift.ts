import type { Table } from 'apache-arrow';
import { countValues, presentNumbers, quantileSorted, round, sortedCopy } from './numeric.js';
import type { Cell, ColumnType } from './table.js';
import { columnNames, columnType, columnValues, toCategory, toNumber } from './table.js';

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
 * and the two-sample Kolmogorov-Smirnov test for numerics.
 */
export function detectDrift(baseline: Table, current: Table, options: DriftOptions = {}): DriftResult {
  const psiThreshold = options.psiThreshold ?? 0.2;
  const ksPValueThreshold = options.ksPValueThreshold ?? 0.05;
  const currentColumns = new Set(columnNames(current));
  const features = (options.features ?? columnNames(baseline)).map((name): FeatureDrift => {
    const type = columnType(baseline, name);
    if (!currentColumns.has(name)) {
      return {
        name,
        type,
        psi: null,
        ks: null,
        drifted: true,
        reasons: [`"${name}" is missing from the current data`],
      };
    }
    const currentType = columnType(current, name);
    if (currentType !== type) {
      return {
        name,
        type,
        psi: null,
        ks: null,
        drifted: true,
        reasons: [`"${name}" changed type from ${type} to ${currentType}`],
      };
    }
    const before = columnValues(baseline, name);
    const after = columnValues(current, name);
    const psi =
      before.length === 0 || after.length === 0
        ? null
        : type === 'numeric'
          ? numericPsi(before, after, options.bins ?? 10)
          : categoricalPsi(before, after);
    const ks = type === 'numeric' ? ksFromCells(before, after) : null;
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

function numericPsi(before: readonly Cell[], after: readonly Cell[], bins: number): number {
  const sorted = sortedCopy(presentNumbers(before.map(toNumber)));
  const edges =
    sorted.length === 0
      ? []
      : [...new Set(Array.from({ length: bins - 1 }, (_, i) => quantileSorted(sorted, (i + 1) / bins)))];
  const bucketOf = (cell: Cell): string => {
    const v = toNumber(cell);
    if (v === null) return MISSING;
    let index = 0;
    while (index < edges.length && v > edges[index]!) index++;
    return String(index);
  };
  return psiFromCounts(countValues(before.map(bucketOf)), countValues(after.map(bucketOf)));
}

function categoricalPsi(before: readonly Cell[], after: readonly Cell[]): number {
  const bucketOf = (cell: Cell) => toCategory(cell) ?? MISSING;
  return psiFromCounts(countValues(before.map(bucketOf)), countValues(after.map(bucketOf)));
}

function ksFromCells(before: readonly Cell[], after: readonly Cell[]): KsResult | null {
  const a = presentNumbers(before.map(toNumber));
  const b = presentNumbers(after.map(toNumber));
  return a.length === 0 || b.length === 0 ? null : ksTwoSample(a, b);
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
  const en = Math.sqrt((a.length * b.length) / (a.length + b.length));
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
