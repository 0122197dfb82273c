import type { Table } from 'apache-arrow';
import { round } from './numeric.js';
import { FrequencySketch } from './sketch/frequencies.js';
import { QuantileSketch } from './sketch/quantiles.js';
import type { ColumnType } from './table.js';
import { columnNames, columnType, columnValues, toBoolean, toCategory, toNumber } from './table.js';
import { float64Column, isPlainUtf8, utf8Strings } from './typed-columns.js';

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
  /** Welford's running mean and sum of squared deviations. */
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
      for (let i = 0; i < numbers.length; i++) {
        const v = numbers[i]!;
        // Like toNumber: NaN and infinities count as missing.
        if (!Number.isFinite(v)) {
          column.missing++;
          continue;
        }
        column.count++;
        if (v < column.min) column.min = v;
        if (v > column.max) column.max = v;
        const delta = v - column.mean;
        column.mean += delta / column.count;
        column.m2 += delta * (v - column.mean);
        column.sketch.add(v);
      }
      return;
    }
    case 'categorical': {
      const values = isPlainUtf8(vector) ? utf8Strings(vector) : columnValues(table, name).map(toCategory);
      // Count runs locally first: a batch holds few distinct values, so the sketch sees each once.
      const local = new Map<string, number>();
      for (const v of values) {
        if (v === null) column.missing++;
        else {
          column.count++;
          local.set(v, (local.get(v) ?? 0) + 1);
        }
      }
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
