import { presentNumbers, quantileSorted, round, sortedCopy } from '../data/numeric.js';
import type { Cell, Dataset } from '../data/table.js';
import { columnType, columnValues, toCategory, toNumber, toTable } from '../data/table.js';
import type { Target, Task } from '../models/adapter.js';
import type { ClassificationMetrics } from './classification.js';
import { classificationMetrics } from './classification.js';
import type { RegressionMetrics } from './regression.js';
import { regressionMetrics } from './regression.js';

export interface SliceEvaluation {
  readonly column: string;
  /** The category, "(missing)", or a numeric bucket such as "[2.5, 4)". */
  readonly slice: string;
  readonly count: number;
  readonly metrics: ClassificationMetrics | RegressionMetrics;
}

export interface SliceOptions {
  /** The evaluated rows, in the same order as `actual` and `predicted`. */
  readonly data: Dataset;
  readonly column: string;
  readonly task: Task;
  readonly actual: readonly Target[];
  readonly predicted: readonly Target[];
  readonly probabilities?: readonly (readonly number[])[];
  readonly classes?: readonly string[];
  /** Numeric columns are cut into this many quantile buckets. Default 4. */
  readonly buckets?: number;
}

export const MISSING_SLICE = '(missing)';

/** The task's metrics for each value of a categorical column, or each quantile bucket of a numeric one. */
export function sliceMetrics(options: SliceOptions): SliceEvaluation[] {
  const table = toTable(options.data);
  if (table.numRows !== options.actual.length) {
    throw new Error(`The data has ${table.numRows} rows but there are ${options.actual.length} labels`);
  }
  const values = columnValues(table, options.column);
  const keys =
    columnType(table, options.column) === 'numeric'
      ? numericBuckets(values, options.buckets ?? 4)
      : values.map((v) => toCategory(v) ?? MISSING_SLICE);
  const groups = new Map<string, number[]>();
  keys.forEach((key, row) => {
    const rows = groups.get(key) ?? [];
    rows.push(row);
    groups.set(key, rows);
  });
  return [...groups.keys()].sort(compareSlices).map((slice) => {
    const rows = groups.get(slice)!;
    const pick = <T>(list: readonly T[]) => rows.map((i) => list[i]!);
    const metrics =
      options.task === 'classification'
        ? classificationMetrics(pick(options.actual), pick(options.predicted), {
            ...(options.probabilities ? { probabilities: pick(options.probabilities) } : {}),
            ...(options.classes ? { classes: options.classes } : {}),
          })
        : regressionMetrics(pick(options.actual), pick(options.predicted));
    return { column: options.column, slice, count: rows.length, metrics };
  });
}

function numericBuckets(values: readonly Cell[], buckets: number): string[] {
  const numbers = values.map(toNumber);
  const sorted = sortedCopy(presentNumbers(numbers));
  if (sorted.length === 0) return numbers.map(() => MISSING_SLICE);
  const edges = [
    ...new Set(Array.from({ length: buckets + 1 }, (_, i) => round(quantileSorted(sorted, i / buckets), 6))),
  ];
  const last = edges.length - 1;
  return numbers.map((v) => {
    if (v === null) return MISSING_SLICE;
    if (last === 0) return `[${edges[0]}, ${edges[0]}]`;
    let i = 0;
    while (i < last - 1 && v >= edges[i + 1]!) i++;
    return i === last - 1 ? `[${edges[i]}, ${edges[i + 1]}]` : `[${edges[i]}, ${edges[i + 1]})`;
  });
}

/** Numeric buckets in numeric order, categories alphabetically, "(missing)" last. */
function compareSlices(a: string, b: string): number {
  if (a === MISSING_SLICE || b === MISSING_SLICE) return a === b ? 0 : a === MISSING_SLICE ? 1 : -1;
  const na = a.startsWith('[') ? Number.parseFloat(a.slice(1)) : Number.NaN;
  const nb = b.startsWith('[') ? Number.parseFloat(b.slice(1)) : Number.NaN;
  if (!Number.isNaN(na) && !Number.isNaN(nb)) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}
