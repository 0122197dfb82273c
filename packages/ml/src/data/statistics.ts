import type { Table } from 'apache-arrow';
import {
  compareValues,
  countValues,
  mean,
  presentNumbers,
  quantileSorted,
  round,
  sortedCopy,
  std,
} from './numeric.js';
import type { Cell, ColumnType } from './table.js';
import { columnNames, columnType, columnValues, toBoolean, toCategory, toNumber } from './table.js';

export interface Quantiles {
  readonly p01: number;
  readonly p25: number;
  readonly p50: number;
  readonly p75: number;
  readonly p99: number;
}

/** Equal-width bins: `counts[i]` counts values in [edges[i], edges[i+1]) (the last bin includes its upper edge). */
export interface Histogram {
  readonly edges: number[];
  readonly counts: number[];
}

interface CommonStatistics {
  readonly name: string;
  /** Non-missing values. */
  readonly count: number;
  readonly missing: number;
  readonly missingRate: number;
}

/** Summary numbers are null when the column has no values. */
export interface NumericStatistics extends CommonStatistics {
  readonly type: 'numeric';
  readonly mean: number | null;
  readonly std: number | null;
  readonly min: number | null;
  readonly max: number | null;
  readonly quantiles: Quantiles | null;
  readonly histogram: Histogram | null;
}

export interface CategoricalStatistics extends CommonStatistics {
  readonly type: 'categorical';
  readonly distinct: number;
  /** Most frequent values, by count descending then value. */
  readonly topValues: { readonly value: string; readonly count: number }[];
}

export interface BooleanStatistics extends CommonStatistics {
  readonly type: 'boolean';
  readonly trueCount: number;
  readonly falseCount: number;
}

export type FeatureStatistics = NumericStatistics | CategoricalStatistics | BooleanStatistics;

export interface DatasetStatistics {
  readonly rowCount: number;
  readonly features: Record<string, FeatureStatistics>;
}

export interface StatisticsOptions {
  /** Histogram bins for numeric features. Default 10. */
  readonly bins?: number;
  /** How many most frequent values to keep for categorical features. Default 10. */
  readonly topK?: number;
}

/** Per-feature statistics of a table, as plain JSON. */
export function computeStatistics(table: Table, options: StatisticsOptions = {}): DatasetStatistics {
  const features: Record<string, FeatureStatistics> = {};
  for (const name of columnNames(table)) {
    features[name] = featureStatistics(name, columnType(table, name), columnValues(table, name), options);
  }
  return { rowCount: table.numRows, features };
}

export function featureStatistics(
  name: string,
  type: ColumnType,
  values: readonly Cell[],
  options: StatisticsOptions = {},
): FeatureStatistics {
  switch (type) {
    case 'numeric':
      return numericStatistics(name, presentNumbers(values.map(toNumber)), values.length, options.bins ?? 10);
    case 'boolean': {
      const present = values.map(toBoolean).filter((v): v is boolean => v !== null);
      const trueCount = present.filter(Boolean).length;
      return {
        name,
        type,
        ...counts(present.length, values.length),
        trueCount,
        falseCount: present.length - trueCount,
      };
    }
    case 'categorical': {
      const present = values.map(toCategory).filter((v): v is string => v !== null);
      const frequencies = [...countValues(present)]
        .sort(([va, ca], [vb, cb]) => cb - ca || compareValues(va, vb))
        .map(([value, count]) => ({ value, count }));
      return {
        name,
        type,
        ...counts(present.length, values.length),
        distinct: frequencies.length,
        topValues: frequencies.slice(0, options.topK ?? 10),
      };
    }
  }
}

function numericStatistics(name: string, present: number[], total: number, bins: number): NumericStatistics {
  const base = { name, type: 'numeric' as const, ...counts(present.length, total) };
  if (present.length === 0) {
    return { ...base, mean: null, std: null, min: null, max: null, quantiles: null, histogram: null };
  }
  const sorted = sortedCopy(present);
  const min = sorted[0]!;
  const max = sorted[sorted.length - 1]!;
  const q = (p: number) => round(quantileSorted(sorted, p));
  return {
    ...base,
    mean: round(mean(sorted)),
    std: round(std(sorted)),
    min,
    max,
    quantiles: { p01: q(0.01), p25: q(0.25), p50: q(0.5), p75: q(0.75), p99: q(0.99) },
    histogram: histogram(sorted, min, max, bins),
  };
}

/** Equal-width histogram of values between min and max; a constant column gets one bin. */
export function histogram(values: readonly number[], min: number, max: number, bins: number): Histogram {
  const binCount = max > min ? Math.max(1, Math.floor(bins)) : 1;
  const width = (max - min) / binCount;
  const edges = Array.from({ length: binCount + 1 }, (_, i) =>
    i === binCount ? max : round(min + i * width),
  );
  const histogramCounts = new Array<number>(binCount).fill(0);
  for (const v of values) {
    const index = width > 0 ? Math.min(binCount - 1, Math.floor((v - min) / width)) : 0;
    if (index >= 0) histogramCounts[index]! += 1;
  }
  return { edges, counts: histogramCounts };
}

function counts(present: number, total: number) {
  const missing = total - present;
  return { count: present, missing, missingRate: total === 0 ? 0 : round(missing / total) };
}
