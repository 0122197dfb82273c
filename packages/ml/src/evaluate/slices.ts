import type { Table } from 'apache-arrow';
import { quantileSorted, round } from '../data/numeric.js';
import type { Dataset } from '../data/table.js';
import { columnType, columnValues, toCategory, toNumber, toTable } from '../data/table.js';
import { float64Column, isPlainUtf8, utf8Codes } from '../data/typed-columns.js';
import type { Target, Task } from '../models/adapter.js';
import type { ClassificationMetrics } from './classification.js';
import { encodeOutcomes } from './classification.js';
import { codedClassificationMetrics } from './coded-classification.js';
import { interner } from './interner.js';
import type { RegressionMetrics } from './regression.js';
import { numericRegressionMetrics } from './regression.js';

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
  /** Per row, class probabilities in `classes` order (without `classes`: in sorted label order). */
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
  const { actual, predicted } = options;
  let score: (rows: Int32Array) => ClassificationMetrics | RegressionMetrics;
  if (options.task === 'classification') {
    const outcomes = encodeOutcomes(actual, predicted, {
      ...(options.probabilities ? { probabilities: options.probabilities } : {}),
      ...(options.classes ? { classes: options.classes } : {}),
    });
    score = (rows) => codedClassificationMetrics(outcomes, rows);
  } else {
    if (actual.length !== predicted.length) {
      throw new Error(`${actual.length} true values but ${predicted.length} predictions`);
    }
    const truth = Float64Array.from(actual, Number);
    const guess = Float64Array.from(predicted, Number);
    score = (rows) => numericRegressionMetrics(truth, guess, rows);
  }
  return slicedMetrics(table, options.column, options.buckets ?? 4, score);
}

/**
 * `score` of each slice's rows (see `sliceGroups`), as SliceEvaluations in report order. The metrics
 * read the evaluation's typed arrays through the row numbers: nothing is copied per slice.
 */
export function slicedMetrics(
  table: Table,
  column: string,
  buckets: number,
  score: (rows: Int32Array) => ClassificationMetrics | RegressionMetrics,
): SliceEvaluation[] {
  const { slices, rows } = sliceGroups(table, column, buckets);
  return slices.map((slice, s) => ({ column, slice, count: rows[s]!.length, metrics: score(rows[s]!) }));
}

/**
 * The slices of a column and the rows of each (ascending), slices in report order: numeric buckets
 * in numeric order, categories alphabetically, "(missing)" last. Read from the column's buffers: a
 * code per row, no string per row.
 */
export function sliceGroups(
  table: Table,
  column: string,
  buckets: number,
): { readonly slices: string[]; readonly rows: Int32Array[] } {
  const { keys, names } =
    columnType(table, column) === 'numeric'
      ? numericBuckets(table, column, buckets)
      : categoryKeys(table, column);
  // Keys with the same text are one slice (a category spelled "(missing)" joins the missing rows).
  const texts: string[] = [];
  const sliceOfKey = Int32Array.from(names, interner(texts));
  const counts = new Int32Array(texts.length);
  for (let i = 0; i < keys.length; i++) counts[sliceOfKey[keys[i]!]!]!++;
  const rows = Array.from(counts, (count) => new Int32Array(count));
  const filled = new Int32Array(texts.length);
  for (let i = 0; i < keys.length; i++) {
    const s = sliceOfKey[keys[i]!]!;
    rows[s]![filled[s]!++] = i;
  }
  // Only slices with rows are reported (a quantile bucket between two values can be empty).
  const order = texts
    .map((_, s) => s)
    .filter((s) => counts[s]! > 0)
    .sort((a, b) => compareSlices(texts[a]!, texts[b]!));
  return { slices: order.map((s) => texts[s]!), rows: order.map((s) => rows[s]!) };
}

/** Per row, the index of its key in `names`. */
interface RowKeys {
  readonly keys: Int32Array;
  readonly names: string[];
}

function categoryKeys(table: Table, column: string): RowKeys {
  const vector = table.getChild(column);
  if (vector && isPlainUtf8(vector)) {
    const { codes, values } = utf8Codes(vector);
    const missing = values.length;
    for (let i = 0; i < codes.length; i++) if (codes[i]! < 0) codes[i] = missing;
    return { keys: codes, names: [...values, MISSING_SLICE] };
  }
  const index = new Map<string, number>();
  const names: string[] = [];
  const keys = Int32Array.from(columnValues(table, column), (value) => {
    const name = toCategory(value) ?? MISSING_SLICE;
    let key = index.get(name);
    if (key === undefined) {
      key = names.length;
      names.push(name);
      index.set(name, key);
    }
    return key;
  });
  return { keys, names };
}

/** Quantile buckets of the column's finite values; other rows are "(missing)" (the last name). */
function numericBuckets(table: Table, column: string, buckets: number): RowKeys {
  const vector = table.getChild(column);
  const numbers =
    (vector ? float64Column(vector) : undefined) ??
    Float64Array.from(columnValues(table, column), (v) => toNumber(v) ?? Number.NaN);
  let present = 0;
  for (let i = 0; i < numbers.length; i++) if (Number.isFinite(numbers[i]!)) present++;
  const sorted = new Float64Array(present);
  for (let i = 0, p = 0; i < numbers.length; i++) if (Number.isFinite(numbers[i]!)) sorted[p++] = numbers[i]!;
  sorted.sort();
  const keys = new Int32Array(numbers.length);
  if (present === 0) return { keys, names: [MISSING_SLICE] };
  const edges = [
    ...new Set(Array.from({ length: buckets + 1 }, (_, i) => round(quantileSorted(sorted, i / buckets), 6))),
  ];
  const last = edges.length - 1;
  const names =
    last === 0
      ? [`[${edges[0]}, ${edges[0]}]`]
      : Array.from({ length: last }, (_, i) =>
          i === last - 1 ? `[${edges[i]}, ${edges[i + 1]}]` : `[${edges[i]}, ${edges[i + 1]})`,
        );
  const missing = names.length;
  names.push(MISSING_SLICE);
  for (let r = 0; r < numbers.length; r++) {
    const v = numbers[r]!;
    if (!Number.isFinite(v)) {
      keys[r] = missing;
      continue;
    }
    let i = 0;
    while (i < last - 1 && v >= edges[i + 1]!) i++;
    keys[r] = i;
  }
  return { keys, names };
}

/** Numeric buckets in numeric order, categories alphabetically, "(missing)" last. */
function compareSlices(a: string, b: string): number {
  if (a === MISSING_SLICE || b === MISSING_SLICE) return a === b ? 0 : a === MISSING_SLICE ? 1 : -1;
  const na = a.startsWith('[') ? Number.parseFloat(a.slice(1)) : Number.NaN;
  const nb = b.startsWith('[') ? Number.parseFloat(b.slice(1)) : Number.NaN;
  if (!Number.isNaN(na) && !Number.isNaN(nb)) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}
