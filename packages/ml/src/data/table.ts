import type { Data, Field, Vector } from 'apache-arrow';
import { Bool, DataType, Float64, makeData, makeVector, Table, Utf8, vectorFromArray } from 'apache-arrow';
import { utf8Vector } from './read/batch-builder.js';
import {
  chunkStarts,
  float64Column,
  gatherUtf8,
  isPlainUtf8,
  isValidAt,
  utf8Codes,
} from './typed-columns.js';

/** One value of a dataset: numbers (Float64), strings (Utf8), booleans (Bool) or null. */
export type Cell = number | string | boolean | null;
export type Row = Record<string, Cell>;
/** The three column kinds Strata's data model knows. */
export type ColumnType = 'numeric' | 'categorical' | 'boolean';
/** What most functions accept as a dataset: an Arrow table or plain row objects. */
export type Dataset = Table | readonly Row[];

/** The kind of an Arrow field: integers and floats are numeric, booleans boolean, everything else categorical. */
export function columnTypeOfField(field: Field): ColumnType {
  if (DataType.isFloat(field.type) || DataType.isInt(field.type)) return 'numeric';
  if (DataType.isBool(field.type)) return 'boolean';
  return 'categorical';
}

export function columnNames(table: Table): string[] {
  return table.schema.fields.map((field) => field.name);
}

export function columnTypes(table: Table): Record<string, ColumnType> {
  const types: Record<string, ColumnType> = {};
  for (const field of table.schema.fields) types[field.name] = columnTypeOfField(field);
  return types;
}

export function columnType(table: Table, name: string): ColumnType {
  return columnTypeOfField(fieldOf(table, name));
}

/** The values of one column as plain cells (bigint becomes number, NaN becomes null, dates ISO strings). */
export function columnValues(table: Table, name: string): Cell[] {
  const field = fieldOf(table, name);
  const vector = table.getChild(name);
  if (!vector) throw new Error(`Column "${name}" has no data`);
  const isTime = DataType.isDate(field.type) || DataType.isTimestamp(field.type);
  const values: Cell[] = new Array(table.numRows);
  // From the buffers: each distinct string decoded once (utf8Codes), numbers read in place.
  if (isPlainUtf8(vector)) {
    const { codes, values: distinct } = utf8Codes(vector);
    for (let i = 0; i < codes.length; i++) values[i] = codes[i]! < 0 ? null : distinct[codes[i]!]!;
    return values;
  }
  const numbers = float64Column(vector);
  if (numbers) {
    for (let i = 0; i < numbers.length; i++) values[i] = Number.isNaN(numbers[i]!) ? null : numbers[i]!;
    return values;
  }
  let r = 0;
  // Chunk by chunk: get(i) on a vector of many chunks searches for the chunk on every call.
  for (const data of vector.data) {
    const chunk = makeVector(data);
    for (let i = 0; i < chunk.length; i++) values[r++] = toCell(chunk.get(i), isTime);
  }
  return values;
}

/** Each cell of a column as `columnValues` reads it, without an array of all of them. */
export function forEachCell(table: Table, name: string, visit: (cell: Cell) => void): void {
  const field = fieldOf(table, name);
  const vector = table.getChild(name);
  if (!vector) throw new Error(`Column "${name}" has no data`);
  const isTime = DataType.isDate(field.type) || DataType.isTimestamp(field.type);
  for (const data of vector.data) {
    const chunk = makeVector(data);
    for (let i = 0; i < chunk.length; i++) visit(toCell(chunk.get(i), isTime));
  }
}

/** A numeric column as numbers, with null for missing (or non-numeric) values. */
export function numericValues(table: Table, name: string): (number | null)[] {
  return columnValues(table, name).map(toNumber);
}

/** Every row as a plain object, keys in column order. */
export function rowsOf(table: Table): Row[] {
  const names = columnNames(table);
  const columns = names.map((name) => columnValues(table, name));
  const rows: Row[] = new Array(table.numRows);
  for (let i = 0; i < table.numRows; i++) {
    const row: Row = {};
    for (let c = 0; c < names.length; c++) row[names[c]!] = columns[c]![i] ?? null;
    rows[i] = row;
  }
  return rows;
}

/**
 * Build a table from row objects. Columns appear in first-seen key order (hinted columns absent from every row last); a column whose non-null
 * values are all numbers is Float64, all booleans Bool, otherwise Utf8 (numbers and booleans are
 * written as strings). `schemaHint` forces a column's type and lets an all-null or absent column exist.
 */
export function tableFromRows(
  rows: readonly Row[],
  schemaHint: Readonly<Record<string, ColumnType>> = {},
): Table {
  const names: string[] = [];
  const seen = new Set<string>();
  const add = (key: string) => {
    if (!seen.has(key)) {
      seen.add(key);
      names.push(key);
    }
  };
  for (const row of rows) for (const key of Object.keys(row)) add(key);
  for (const key of Object.keys(schemaHint)) add(key);
  const vectors: Record<string, Vector> = {};
  for (const name of names) {
    const values = rows.map((row) => row[name] ?? null);
    const type = schemaHint[name] ?? inferColumnType(values);
    vectors[name] = buildVector(values, type);
  }
  return new Table(vectors);
}

/** A dataset as rows, whichever form it came in. */
export function toRows(data: Dataset): readonly Row[] {
  return data instanceof Table ? rowsOf(data) : data;
}

/** A dataset as an Arrow table, whichever form it came in. */
export function toTable(data: Dataset): Table {
  return data instanceof Table ? data : tableFromRows(data);
}

/**
 * A new table holding the given rows of `table`, in the given order, with the same column types
 * (Float64, Bool or Utf8). Columns are gathered directly from the Arrow vectors: no row objects.
 */
export function selectRows(table: Table, indices: ArrayLike<number>): Table {
  const hint = columnTypes(table);
  const vectors: Record<string, Vector> = {};
  for (const name of columnNames(table)) {
    const vector = table.getChild(name)!;
    const type = hint[name] ?? 'categorical';
    if (type === 'numeric') vectors[name] = gatherNumbers(vector, indices);
    else if (type === 'categorical' && isPlainUtf8(vector)) vectors[name] = gatherUtf8(vector, indices);
    else if (type === 'categorical') {
      const values: (string | null)[] = new Array(indices.length);
      const isTime = DataType.isDate(vector.type) || DataType.isTimestamp(vector.type);
      for (let i = 0; i < indices.length; i++)
        values[i] = toCategory(toCell(vector.get(indices[i]!), isTime));
      vectors[name] = utf8Vector(values);
    } else {
      const values: (boolean | null)[] = new Array(indices.length);
      for (let i = 0; i < indices.length; i++) values[i] = toBoolean(toCell(vector.get(indices[i]!), false));
      vectors[name] = vectorFromArray(values, new Bool());
    }
  }
  return new Table(vectors);
}

/** The rows of `table` that have a value in every one of `columns` (the table itself when all do). */
export function withValues(table: Table, columns: readonly string[]): Table {
  const vectors = columns.map((name) => table.getChild(name)).filter((v): v is Vector => v !== null);
  if (vectors.every((v) => v.nullCount === 0)) return table;
  const keep = new Uint32Array(table.numRows);
  let kept = 0;
  const starts = vectors.map((v) => chunkStarts(v));
  const chunkIndex = vectors.map(() => 0);
  for (let i = 0; i < table.numRows; i++) {
    let present = true;
    for (let c = 0; c < vectors.length && present; c++) {
      const chunks = vectors[c]!.data;
      const s = starts[c]!;
      while (i >= s[chunkIndex[c]! + 1]!) chunkIndex[c]!++;
      present = isValidAt(chunks[chunkIndex[c]!]!, i - s[chunkIndex[c]!]!);
    }
    if (present) keep[kept++] = i;
  }
  return selectRows(table, keep.subarray(0, kept));
}

function gatherNumbers(vector: Vector, indices: ArrayLike<number>): Vector {
  const n = indices.length;
  const out = new Float64Array(n);
  const valid = new Uint8Array((n + 7) >> 3);
  let nulls = 0;
  // A one-chunk Float64 column without nulls (a record batch's, as the split gathers them) is
  // read in place; other Float and Int columns from their buffers once; other types cell by cell.
  const only = vector.data.length === 1 ? vector.data[0]! : undefined;
  if (only && only.values instanceof Float64Array) return gatherFloat64Chunk(only, indices);
  const numbers = float64Column(vector);
  for (let i = 0; i < n; i++) {
    const at = indices[i]!;
    const v = numbers ? numbers[at]! : toNumber(toCell(vector.get(at), false));
    if (v === null || v === undefined || !Number.isFinite(v)) nulls++;
    else {
      out[i] = v;
      valid[i >> 3]! |= 1 << (i & 7);
    }
  }
  return float64Vector(out, valid, nulls);
}

/** A Float64 vector of `values`, with `valid`'s bits as its null bitmap when any value is null. */
function float64Vector(values: Float64Array, valid: Uint8Array, nulls: number): Vector {
  return makeVector(
    makeData({
      type: new Float64(),
      length: values.length,
      nullCount: nulls,
      data: values,
      nullBitmap: nulls > 0 ? valid : null,
    }),
  );
}

/** `gatherNumbers` of a one-chunk Float64 column (a record batch's), read in place. */
function gatherFloat64Chunk(chunk: Data, indices: ArrayLike<number>): Vector {
  const n = indices.length;
  const values = chunk.values as Float64Array;
  const out = new Float64Array(n);
  const valid = new Uint8Array((n + 7) >> 3);
  const checkValid = chunk.nullCount > 0 && chunk.nullBitmap && chunk.nullBitmap.length > 0;
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    const at = indices[i]!;
    const v = values[at]!;
    if ((checkValid && !isValidAt(chunk, at)) || !Number.isFinite(v)) nulls++;
    else {
      out[i] = v;
      valid[i >> 3]! |= 1 << (i & 7);
    }
  }
  return float64Vector(out, valid, nulls);
}

export function inferColumnType(values: readonly Cell[]): ColumnType {
  let sawNumber = false;
  let sawBoolean = false;
  for (const value of values) {
    if (value === null) continue;
    if (typeof value === 'number') sawNumber = true;
    else if (typeof value === 'boolean') sawBoolean = true;
    else return 'categorical';
  }
  if (sawNumber && !sawBoolean) return 'numeric';
  if (sawBoolean && !sawNumber) return 'boolean';
  return 'categorical';
}

/** A cell read as a number: numeric strings are parsed, anything else non-numeric is null. */
export function toNumber(value: Cell | undefined): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : null;
  }
  return null;
}

/** A cell read as a category: numbers and booleans become strings, null stays null. */
export function toCategory(value: Cell | undefined): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : String(value);
}

/** A cell read as a boolean: true/false, 1/0 and the strings "true"/"false"/"1"/"0" (any case); otherwise null. */
export function toBoolean(value: Cell | undefined): boolean | null {
  if (typeof value === 'boolean') return value;
  if (value === 1 || value === 0) return value === 1;
  if (typeof value === 'string') {
    const lower = value.trim().toLowerCase();
    if (lower === 'true' || lower === '1') return true;
    if (lower === 'false' || lower === '0') return false;
  }
  return null;
}

function buildVector(values: readonly Cell[], type: ColumnType): Vector {
  switch (type) {
    case 'numeric':
      return vectorFromArray(values.map(toNumber), new Float64());
    case 'boolean':
      return vectorFromArray(values.map(toBoolean), new Bool());
    case 'categorical':
      return vectorFromArray(values.map(toCategory), new Utf8());
  }
}

function fieldOf(table: Table, name: string): Field {
  const field = table.schema.fields.find((f) => f.name === name);
  if (!field) {
    throw new Error(
      `Column "${name}" not found; the table has: ${columnNames(table).join(', ') || '(no columns)'}`,
    );
  }
  return field;
}

function toCell(value: unknown, isTime: boolean): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return null;
    return isTime ? new Date(value).toISOString() : value;
  }
  if (typeof value === 'bigint') return isTime ? new Date(Number(value)).toISOString() : Number(value);
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value.toISOString();
  return String(value);
}
