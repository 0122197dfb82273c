import { type RecordBatch, Table } from 'apache-arrow';
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
import type { ColumnProfile, NumericProfile, ProfileOptions } from './profile.js';
import { DatasetProfile, profileOfTable, profileStd } from './profile.js';
import type { Cell, ColumnType } from './table.js';
import { toBoolean, toCategory, toNumber } from './table.js';

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
  /** Present when the column outgrew exact mode: quantiles and histogram come from a sketch. */
  readonly approximate?: { readonly quantileRankError: number };
}

export interface CategoricalStatistics extends CommonStatistics {
  readonly type: 'categorical';
  readonly distinct: number;
  /** Most frequent values, by count descending then value. */
  readonly topValues: { readonly value: string; readonly count: number }[];
  /** Present when the column outgrew exact counting: distinct is estimated, counts may be low by up to maxCountUndercount. */
  readonly approximate?: { readonly distinctRelativeError: number; readonly maxCountUndercount: number };
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

/**
 * Per-feature statistics of a table, as plain JSON, in one pass over its record batches (see
 * DatasetProfile): exact while a column has at most 65,536 numeric values or 10,000 distinct
 * categories, sketched beyond (marked `approximate`, with the error bound).
 */
export function computeStatistics(table: Table, options: StatisticsOptions = {}): DatasetStatistics {
  return statisticsOfProfile(profileOfTable(table), options);
}

/** The same statistics over a stream of record batches (a file read with readBatches), in bounded memory. */
export async function computeStatisticsFromBatches(
  batches: AsyncIterable<RecordBatch | Table>,
  options: StatisticsOptions & ProfileOptions = {},
): Promise<DatasetStatistics> {
  const profile = new DatasetProfile(options);
  for await (const batch of batches) profile.add(batch instanceof Table ? batch : new Table(batch));
  return statisticsOfProfile(profile, options);
}

/** Error bounds of sketched statistics, stated in the output (see the sketches' specs). */
export const SKETCH_ERROR = {
  /** Quantiles and histogram counts: rank error as a share of the count (KLL, k=2048). */
  quantileRank: 0.003,
  /** Distinct count: HyperLogLog with 2^14 registers, relative standard error. */
  distinctRelative: 0.0081,
} as const;

export function statisticsOfProfile(
  profile: DatasetProfile,
  options: StatisticsOptions = {},
): DatasetStatistics {
  const features: Record<string, FeatureStatistics> = {};
  for (const [name, column] of profile.columns) features[name] = columnStatistics(column, options);
  return { rowCount: profile.rowCount, features };
}

function columnStatistics(column: ColumnProfile, options: StatisticsOptions): FeatureStatistics {
  const { name } = column;
  const total = column.count + column.missing;
  switch (column.type) {
    case 'numeric': {
      const exact = column.sketch.exactSorted();
      if (exact) return numericStatistics(name, [...exact], total, options.bins ?? 10);
      const base = { name, type: 'numeric' as const, ...counts(column.count, total) };
      const { sketch, min, max } = column;
      const q = (p: number) => round(sketch.quantile(p));
      return {
        ...base,
        mean: round(column.mean),
        std: profileStd(column),
        min,
        max,
        quantiles: { p01: q(0.01), p25: q(0.25), p50: q(0.5), p75: q(0.75), p99: q(0.99) },
        histogram: sketchHistogram(column, options.bins ?? 10),
        approximate: { quantileRankError: SKETCH_ERROR.quantileRank },
      };
    }
    case 'categorical': {
      const frequencies = column.values.entries().map(([value, count]) => ({ value, count }));
      return {
        name,
        type: 'categorical',
        ...counts(column.count, total),
        distinct: column.values.distinct(),
        topValues: frequencies.slice(0, options.topK ?? 10),
        ...(column.values.isExact
          ? {}
          : {
              approximate: {
                distinctRelativeError: SKETCH_ERROR.distinctRelative,
                maxCountUndercount: column.values.maxUndercount,
              },
            }),
      };
    }
    case 'boolean':
      return {
        name,
        type: 'boolean',
        ...counts(column.count, total),
        trueCount: column.trueCount,
        falseCount: column.count - column.trueCount,
      };
  }
}

/** The equal-width histogram from the sketch's ranks (the exact one counts the kept values). */
function sketchHistogram(column: NumericProfile, bins: number): Histogram {
  const { min, max, sketch, count } = column;
  const binCount = max > min ? Math.max(1, Math.floor(bins)) : 1;
  const width = (max - min) / binCount;
  const edges = Array.from({ length: binCount + 1 }, (_, i) =>
    i === binCount ? max : round(min + i * width),
  );
  const below = (x: number) => sketch.rankBelow(x);
  const histogramCounts = Array.from({ length: binCount }, (_, i) =>
    i === binCount - 1 ? count - below(edges[i]!) : below(edges[i + 1]!) - below(edges[i]!),
  );
  return { edges, counts: histogramCounts };
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
