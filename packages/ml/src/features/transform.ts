import type { Table } from 'apache-arrow';
import { mean, median, mode, modeOfCounts, type Numbers, round, std } from '../data/numeric.js';
import type { Cell, ColumnType, Dataset } from '../data/table.js';
import {
  columnNames,
  columnTypes,
  columnValues,
  forEachCell,
  toBoolean,
  toCategory,
  toNumber,
  toRows,
  toTable,
} from '../data/table.js';
import { float64Column, isPlainUtf8, utf8Counts } from '../data/typed-columns.js';
import type { ColumnTransformSpec, TransformSpec } from './transform-spec.js';
import { validateTransformSpec } from './transform-spec.js';

export type NumericScale =
  | { readonly kind: 'none' }
  | { readonly kind: 'standard'; readonly mean: number; readonly std: number }
  | { readonly kind: 'minmax'; readonly min: number; readonly max: number };

export type FittedColumn =
  | { readonly name: string; readonly kind: 'numeric'; readonly fill: number; readonly scale: NumericScale }
  | { readonly name: string; readonly kind: 'boolean'; readonly fill: 0 | 1 }
  | {
      readonly name: string;
      readonly kind: 'onehot' | 'ordinal';
      /** The category a missing value becomes. */
      readonly fill: string;
      readonly categories: string[];
    };

/** Everything needed to turn raw rows into model input, fitted on training data: plain JSON. */
export interface TransformState {
  readonly version: 1;
  readonly label: string;
  /** The raw input columns and their types, in feature order. */
  readonly inputs: { readonly name: string; readonly type: ColumnType }[];
  readonly columns: FittedColumn[];
  /** One name per matrix column: the column name, or `column=category` for one-hot. */
  readonly featureNames: string[];
}

export interface FeatureMatrix {
  readonly X: number[][];
  readonly featureNames: string[];
}

/** Fit imputation, scaling and encoding on the training data. The label column is never a feature. */
export function fitTransform(
  train: Dataset,
  spec: TransformSpec,
  options: { readonly label: string },
): TransformState {
  const checked = validateTransformSpec(spec);
  const table = toTable(train);
  const types = columnTypes(table);
  const present = new Set(columnNames(table));
  const inputs: { name: string; type: ColumnType }[] = [];
  const columns: FittedColumn[] = [];
  for (const [name, columnSpec] of Object.entries(checked.columns)) {
    if (name === options.label) throw new Error(`The label column "${name}" cannot also be a feature`);
    if (!present.has(name)) {
      throw new Error(`Transform spec names column "${name}", which the training data does not have`);
    }
    const type = columnSpec.type ?? types[name] ?? 'categorical';
    inputs.push({ name, type });
    columns.push(fitColumn(name, type, table, columnSpec));
  }
  if (columns.length === 0) throw new Error('Transform spec selects no feature columns');
  return { version: 1, label: options.label, inputs, columns, featureNames: columns.flatMap(outputNames) };
}

/**
 * Turn rows (or a table) into the model's numeric matrix with the fitted state; the same call at
 * training, batch and serving time. Missing values and absent columns are imputed; unknown
 * categories become all zeros (one-hot) or -1 (ordinal); extra columns are ignored.
 */
export function applyTransform(state: TransformState, data: Dataset): FeatureMatrix {
  const rows = toRows(data);
  const encoders = state.columns.map(encoderFor);
  const X = rows.map((row) => {
    const out: number[] = [];
    state.columns.forEach((column, c) => {
      encoders[c]!(row[column.name] ?? null, out);
    });
    return out;
  });
  return { X, featureNames: [...state.featureNames] };
}

/**
 * Fits one column. Numbers and category counts are gathered cell by cell into a typed array and a
 * count map, not a JS array of every cell: at 8M rows those arrays were hundreds of MB a column.
 */
function fitColumn(name: string, type: ColumnType, table: Table, spec: ColumnTransformSpec): FittedColumn {
  if (type === 'numeric') {
    if (spec.encode)
      throw new Error(`Column "${name}" is numeric: "encode" applies to categorical columns only`);
    const numbers = presentValues(table, name);
    const impute = spec.impute ?? 'mean';
    if (numbers.length === 0 && impute !== 'constant') {
      throw new Error(
        `Column "${name}" has no values in the training data to compute its ${impute}; use impute "constant"`,
      );
    }
    const fill =
      impute === 'constant'
        ? constantNumber(name, spec.fillValue)
        : impute === 'mean'
          ? mean(numbers)
          : impute === 'median'
            ? median(numbers)
            : mode(numbers)!;
    return {
      name,
      kind: 'numeric',
      fill: round(fill),
      scale: fitScale(spec.scale ?? 'standard', numbers, fill),
    };
  }
  if (spec.scale && spec.scale !== 'none') {
    throw new Error(`Column "${name}" is ${type}: "scale" applies to numeric columns only`);
  }
  if (spec.impute === 'mean' || spec.impute === 'median') {
    throw new Error(
      `Column "${name}" is ${type}: impute "${spec.impute}" needs numbers; use "mode" or "constant"`,
    );
  }
  if (type === 'boolean') {
    const flags = columnValues(table, name)
      .map(toBoolean)
      .filter((v): v is boolean => v !== null);
    const fill = spec.impute === 'constant' ? toBoolean(spec.fillValue ?? null) : mode(flags);
    return { name, kind: 'boolean', fill: fill ? 1 : 0 };
  }
  const counts = categoryCounts(table, name);
  const fill = spec.impute === 'constant' ? String(spec.fillValue) : modeOfCounts(counts);
  if (fill === null) {
    throw new Error(
      `Column "${name}" has no values in the training data to compute its mode; use impute "constant"`,
    );
  }
  return {
    name,
    kind: spec.encode ?? 'onehot',
    fill,
    categories: keptCategories(counts, spec.maxCategories),
  };
}

/** The column's finite numbers (typed, from the Arrow buffers when it is a float or int column). */
function presentValues(table: Table, name: string): Float64Array {
  const vector = table.getChild(name);
  const typed = vector ? float64Column(vector) : undefined;
  if (typed) {
    let count = 0;
    for (let i = 0; i < typed.length; i++) {
      const v = typed[i]!;
      if (Number.isFinite(v)) typed[count++] = v;
    }
    return typed.subarray(0, count);
  }
  const present = new Float64Array(table.numRows);
  let count = 0;
  forEachCell(table, name, (cell) => {
    const v = toNumber(cell);
    if (v !== null && Number.isFinite(v)) present[count++] = v;
  });
  return present.subarray(0, count);
}

/** Rows per category, in first-seen order (missing values left out). */
function categoryCounts(table: Table, name: string): Map<string, number> {
  const vector = table.getChild(name);
  if (vector && isPlainUtf8(vector)) return utf8Counts(vector).counts;
  const counts = new Map<string, number>();
  forEachCell(table, name, (cell) => {
    const category = toCategory(cell);
    if (category !== null) counts.set(category, (counts.get(category) ?? 0) + 1);
  });
  return counts;
}

function keptCategories(counts: ReadonlyMap<string, number>, maxCategories: number | undefined): string[] {
  const ranked = [...counts].sort(([va, ca], [vb, cb]) => cb - ca || (va < vb ? -1 : va > vb ? 1 : 0));
  return ranked
    .slice(0, maxCategories ?? ranked.length)
    .map(([value]) => value)
    .sort();
}

function fitScale(kind: 'standard' | 'minmax' | 'none', numbers: Numbers, fill: number): NumericScale {
  const values: Numbers = numbers.length > 0 ? numbers : [fill];
  if (kind === 'standard') return { kind, mean: round(mean(values)), std: round(std(values)) };
  if (kind === 'minmax') {
    return {
      kind,
      min: (values as readonly number[]).reduce((a, b) => Math.min(a, b)),
      max: (values as readonly number[]).reduce((a, b) => Math.max(a, b)),
    };
  }
  return { kind: 'none' };
}

function constantNumber(name: string, value: number | string | boolean | undefined): number {
  const number = toNumber(value ?? null);
  if (number === null)
    throw new Error(`Column "${name}" is numeric but its fillValue ${JSON.stringify(value)} is not`);
  return number;
}

function outputNames(column: FittedColumn): string[] {
  return column.kind === 'onehot' ? column.categories.map((c) => `${column.name}=${c}`) : [column.name];
}

function encoderFor(column: FittedColumn): (cell: Cell, out: number[]) => void {
  switch (column.kind) {
    case 'numeric': {
      const scale = scaler(column.scale);
      return (cell, out) => {
        out.push(scale(toNumber(cell) ?? column.fill));
      };
    }
    case 'boolean':
      return (cell, out) => {
        const flag = toBoolean(cell);
        out.push(flag === null ? column.fill : flag ? 1 : 0);
      };
    case 'onehot': {
      const index = new Map(column.categories.map((c, i) => [c, i]));
      return (cell, out) => {
        const position = index.get(toCategory(cell) ?? column.fill);
        for (let i = 0; i < column.categories.length; i++) out.push(i === position ? 1 : 0);
      };
    }
    case 'ordinal': {
      const index = new Map(column.categories.map((c, i) => [c, i]));
      return (cell, out) => {
        out.push(index.get(toCategory(cell) ?? column.fill) ?? -1);
      };
    }
  }
}

function scaler(scale: NumericScale): (value: number) => number {
  switch (scale.kind) {
    case 'none':
      return (v) => v;
    case 'standard': {
      const divisor = scale.std > 0 ? scale.std : 1;
      return (v) => (v - scale.mean) / divisor;
    }
    case 'minmax': {
      const range = scale.max > scale.min ? scale.max - scale.min : 1;
      return (v) => (v - scale.min) / range;
    }
  }
}
