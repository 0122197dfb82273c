import { Table } from 'apache-arrow';
import { round } from './numeric.js';
import { FrequencySketch } from './sketch/frequencies.js';
import { QuantileSketch } from './sketch/quantiles.js';
import type { ColumnType } from './table.js';
import { columnNames, columnType, columnValues, toBoolean, toCategory, toNumber } from './table.js';
import { float64Column, isPlainUtf8, utf8Counts } from './typed-columns.js';

/**
 * One pass over a dataset's record batches in bounded memory: per column, counts, exact min/max,
 * running mean and variance, a quantile sketch (numerics) or value counts with a distinct-count
 * sketch (categoricals). Statistics, schema inference, validation and drift are read from it, so
 * a 10M-row file never has to be held as JS values. Small data stays exact (see the sketches).
 */
export class DatasetProfile {
  rowCount = 0;
  readonly columns = new Map<string, ColumnProfile>();

  constructor(private readonly options: ProfileOptions = {}) {}

  /** Adds a table or one record batch (`new Table(batch)`); every batch must keep the column types. */
  add(table: Table): this {
    for (const name of columnNames(table)) {
      const type = columnType(table, name);
      let column = this.columns.get(name);
      if (!column) {
        column = newColumn(name, type, this.options);
        // A column first seen in a later batch was missing from every earlier row.
        column.missing += this.rowCount;
        this.columns.set(name, column);
      } else if (column.type !== type) {
        throw new Error(
          `Column "${name}" is ${type} in this batch but was ${column.type} in earlier ones (its type changed mid-file)`,
        );
      }
      addColumn(column, table, name);
    }
    for (const [name, column] of this.columns) if (!table.getChild(name)) column.missing += table.numRows;
    this.rowCount += table.numRows;
    return this;
  }
}

/** Profiles of whole tables with the default options, kept while the table lives (see profileOfTable). */
const tableProfiles = new WeakMap<Table, DatasetProfile>();

/**
 * The default-options profile of a whole table, batch by batch, made once per table: the
 * statistics step and the validate step's drift check read the same training table, and the
 * second pass over its columns (~40 % of the validate step at a million rows) was the same work.
 * Callers only read the profile: it is never added to after it is made.
 */
export function profileOfTable(table: Table): DatasetProfile {
  let profile = tableProfiles.get(table);
  if (!profile) {
    profile = new DatasetProfile();
    for (const batch of table.batches) profile.add(new Table(batch));
    if (table.batches.length === 0) profile.add(table);
    tableProfiles.set(table, profile);
  }
  return profile;
}

export interface ProfileOptions {
  /** Numeric values kept exactly per column before the quantile sketch takes over. Default 65,536. */
  readonly exactLimit?: number;
  /** Distinct categorical values counted exactly per column. Default 10,000. */
  readonly categoryCapacity?: number;
}

interface Common {
  readonly name: string;
  /** Non-missing values. */
  count: number;
  missing: number;
}
export interface NumericProfile extends Common {
  readonly type: 'numeric';
  min: number;
  max: number;
  /** Running mean and sum of squared deviations (merged batch by batch, Chan et al.). */
  mean: number;
  m2: number;
  readonly sketch: QuantileSketch;
}
export interface CategoricalProfile extends Common {
  readonly type: 'categorical';
  readonly values: FrequencySketch;
}
export interface BooleanProfile extends Common {
  readonly type: 'boolean';
  trueCount: number;
}
export type ColumnProfile = NumericProfile | CategoricalProfile | BooleanProfile;

function newColumn(name: string, type: ColumnType, options: ProfileOptions): ColumnProfile {
  const common = { name, count: 0, missing: 0 };
  switch (type) {
    case 'numeric':
      return {
        ...common,
        type,
        min: Number.POSITIVE_INFINITY,
        max: Number.NEGATIVE_INFINITY,
        mean: 0,
        m2: 0,
        sketch: new QuantileSketch(undefined, options.exactLimit),
      };
    case 'categorical':
      return { ...common, type, values: new FrequencySketch(options.categoryCapacity) };
    case 'boolean':
      return { ...common, type, trueCount: 0 };
  }
}

function addColumn(column: ColumnProfile, table: Table, name: string): void {
  const vector = table.getChild(name)!;
  switch (column.type) {
    case 'numeric': {
      const numbers = float64Column(vector) ?? Float64Array.from(columnValues(table, name), numberOrNaN);
      // The finite values are packed to the front (in place: the array is this call's own copy)
      // and handed to the sketch at once.
      let present = 0;
      let { min, max } = column;
      let sum = 0;
      for (let i = 0; i < numbers.length; i++) {
        const v = numbers[i]!;
        // Like toNumber: NaN and infinities count as missing.
        if (!Number.isFinite(v)) continue;
        numbers[present++] = v;
        sum += v;
        if (v < min) min = v;
        if (v > max) max = v;
      }
      column.missing += numbers.length - present;
      if (present === 0) return;
      // The batch's mean and squared deviations (two passes, no division per value), merged into
      // the column's with Chan et al.'s formula: as accurate as Welford's update, several times faster.
      const batchMean = sum / present;
      let batchM2 = 0;
      for (let i = 0; i < present; i++) {
        const d = numbers[i]! - batchMean;
        batchM2 += d * d;
      }
      const count = column.count + present;
      const delta = batchMean - column.mean;
      column.mean = column.count === 0 ? batchMean : column.mean + (delta * present) / count;
      column.m2 += batchM2 + (column.count === 0 ? 0 : (delta * delta * column.count * present) / count);
      column.count = count;
      column.min = min;
      column.max = max;
      column.sketch.addAll(numbers.subarray(0, present));
      return;
    }
    case 'categorical': {
      // Count locally first: a batch holds few distinct values, so the sketch sees each once.
      let local: Map<string, number>;
      let missing = 0;
      if (isPlainUtf8(vector)) ({ counts: local, missing } = utf8Counts(vector));
      else {
        local = new Map();
        for (const cell of columnValues(table, name)) {
          const v = toCategory(cell);
          if (v === null) missing++;
          else local.set(v, (local.get(v) ?? 0) + 1);
        }
      }
      column.missing += missing;
      column.count += table.numRows - missing;
      for (const [v, times] of local) column.values.add(v, times);
      return;
    }
    case 'boolean': {
      for (const cell of columnValues(table, name)) {
        const v = toBoolean(cell);
        if (v === null) column.missing++;
        else {
          column.count++;
          if (v) column.trueCount++;
        }
      }
      return;
    }
  }
}

function numberOrNaN(cell: unknown): number {
  return toNumber(cell as never) ?? Number.NaN;
}

/** The population standard deviation of a numeric profile (sketch mode), rounded like the exact one. */
export function profileStd(column: NumericProfile): number {
  return round(Math.sqrt(column.m2 / column.count));
}
