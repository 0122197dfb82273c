import type { Table, Vector } from 'apache-arrow';
import { DataType } from 'apache-arrow';
import type { Dataset } from '../data/table.js';
import { toBoolean, toCategory, toNumber, toTable } from '../data/table.js';
import { isPlainUtf8, isValidAt, utf8Codes } from '../data/typed-columns.js';
import type { DenseMatrix } from '../models/gbdt/matrix.js';
import type { FittedColumn, NumericScale, TransformState } from './transform.js';

/**
 * The same numbers as `applyTransform`, written column by column straight from the Arrow vectors
 * into one row-major Float64Array: no row objects and no array per row, so a million-row table
 * costs 8 bytes a cell once. Missing and absent columns are imputed exactly as `applyTransform` does.
 * The array lives in shared memory, so worker threads read it without a copy.
 */
export function transformToMatrix(state: TransformState, data: Dataset): DenseMatrix {
  const table: Table = toTable(data);
  const rows = table.numRows;
  const cols = state.featureNames.length;
  const out = new Float64Array(new SharedArrayBuffer(Math.max(1, rows * cols * 8))).subarray(0, rows * cols);
  forEachFeature(state, table, (c, values) => {
    for (let r = 0; r < rows; r++) out[r * cols + c] = values[r]!;
  });
  return { rows, cols, data: out };
}

/**
 * The transformed features one column at a time (feature index in `featureNames` order, and its
 * value per row), with the same numbers as `transformToMatrix`. The values array is reused from
 * one feature to the next: `visit` must be done with it when it returns. This is what lets
 * training bin features without ever holding all of them as float64 (see binTransformed).
 */
export function forEachFeature(
  state: TransformState,
  data: Dataset,
  visit: (feature: number, values: Float64Array) => void,
): void {
  const table: Table = toTable(data);
  const rows = table.numRows;
  const values = new Float64Array(rows);
  let offset = 0;
  for (const column of state.columns) {
    const vector = table.schema.fields.some((f) => f.name === column.name)
      ? (table.getChild(column.name) ?? undefined)
      : undefined;
    offset = visitColumn(column, vector, rows, offset, values, visit);
  }
}

function visitColumn(
  column: FittedColumn,
  vector: Vector | undefined,
  rows: number,
  offset: number,
  values: Float64Array,
  visit: (feature: number, values: Float64Array) => void,
): number {
  switch (column.kind) {
    case 'numeric': {
      const scale = scalerOf(column.scale);
      numericValues(vector, rows, values);
      for (let r = 0; r < rows; r++) {
        const v = values[r]!;
        values[r] = scale(Number.isNaN(v) ? column.fill : v);
      }
      visit(offset, values);
      return offset + 1;
    }
    case 'boolean': {
      for (let r = 0; r < rows; r++) {
        const flag = vector ? toBoolean(cellOf(vector.get(r))) : null;
        values[r] = flag === null ? column.fill : flag ? 1 : 0;
      }
      visit(offset, values);
      return offset + 1;
    }
    case 'onehot':
    case 'ordinal': {
      const index = new Map(column.categories.map((c, i) => [c, i]));
      const codes = categoryCodes(vector, rows, index, column.fill);
      if (column.kind === 'ordinal') {
        for (let r = 0; r < rows; r++) values[r] = codes[r]!;
        visit(offset, values);
        return offset + 1;
      }
      for (let k = 0; k < column.categories.length; k++) {
        for (let r = 0; r < rows; r++) values[r] = codes[r] === k ? 1 : 0;
        visit(offset + k, values);
      }
      return offset + column.categories.length;
    }
  }
}

/** The fitted scaling, with the same arithmetic as `applyTransform` (so both give identical bits). */
function scalerOf(scale: NumericScale): (v: number) => number {
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

/** A column as float64 with NaN for missing (typed fast path for float and int columns without nulls). */
export function numericValues(
  vector: Vector | undefined,
  rows: number,
  out: Float64Array<ArrayBufferLike> = new Float64Array(rows),
): Float64Array<ArrayBufferLike> {
  if (!vector) return out.fill(Number.NaN);
  if (DataType.isFloat(vector.type) || DataType.isInt(vector.type)) {
    // From the value buffers and validity bitmaps; toNumber treats infinities as missing: so does this path.
    let r = 0;
    for (const chunk of vector.data) {
      const values = chunk.values as ArrayLike<number | bigint>;
      const plain = values instanceof Float64Array;
      const checkValid = chunk.nullCount > 0;
      for (let i = 0; i < chunk.length; i++) {
        const v =
          checkValid && !isValidAt(chunk, i)
            ? Number.NaN
            : plain
              ? (values[i] as number)
              : Number(values[i]!);
        out[r++] = Number.isFinite(v) ? v : Number.NaN;
      }
    }
    return out;
  }
  for (let r = 0; r < rows; r++) out[r] = toNumber(cellOf(vector.get(r))) ?? Number.NaN;
  return out;
}

/** Category index per row: -1 for unknown categories; a missing value takes `fill`'s index. */
function categoryCodes(
  vector: Vector | undefined,
  rows: number,
  index: ReadonlyMap<string, number>,
  fill: string,
): Int32Array {
  const fillCode = index.get(fill) ?? -1;
  const codes = new Int32Array(rows).fill(fillCode);
  if (!vector) return codes;
  if (isPlainUtf8(vector)) {
    // Each distinct value is looked up once (utf8Codes), not a string per row.
    const { codes: rowCodes, values } = utf8Codes(vector);
    const known = Int32Array.from(values, (value) => index.get(value) ?? -1);
    for (let r = 0; r < rows; r++) {
      const code = rowCodes[r]!;
      if (code >= 0) codes[r] = known[code]!;
    }
    return codes;
  }
  for (let r = 0; r < rows; r++) {
    const value = toCategory(cellOf(vector.get(r)));
    if (value !== null) codes[r] = index.get(value) ?? -1;
  }
  return codes;
}

function cellOf(value: unknown): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number' && Number.isNaN(value)) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return String(value);
}
