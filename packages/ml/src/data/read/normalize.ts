import type { Data } from 'apache-arrow';
import {
  Bool,
  DataType,
  Field,
  Float64,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Utf8,
  vectorFromArray,
} from 'apache-arrow';
import type { ColumnType } from '../table.js';

/** The one Arrow schema of a dataset: Float64, Bool or Utf8 per column, all nullable. */
export function canonicalSchema(
  names: readonly string[],
  types: Readonly<Record<string, ColumnType>>,
): Schema {
  return new Schema(names.map((name) => new Field(name, arrowTypeOf(types[name] ?? 'categorical'), true)));
}

function arrowTypeOf(type: ColumnType): DataType {
  return type === 'numeric' ? new Float64() : type === 'boolean' ? new Bool() : new Utf8();
}

/**
 * A batch re-labelled with the canonical schema, so batches from several files (and readers) make
 * one table. Columns already Float64/Bool/Utf8 are reused as they are; others (ints, dictionaries,
 * dates from Arrow files) are converted value by value.
 */
export function conformBatch(batch: RecordBatch, schema: Schema): RecordBatch {
  const children: Data[] = schema.fields.map((field) => {
    const column = batch.getChild(field.name);
    if (!column) return vectorFromArray(new Array(batch.numRows).fill(null), field.type).data[0]!;
    if (column.data.length === 1 && sameType(column.type, field.type)) return column.data[0]!;
    const values = column.toArray() as ArrayLike<unknown>;
    const cells: unknown[] = new Array(batch.numRows);
    for (let i = 0; i < batch.numRows; i++) cells[i] = convert(column.get(i) ?? values[i], field.type);
    return vectorFromArray(cells as never[], field.type).data[0]!;
  });
  return new RecordBatch(
    schema,
    makeData({ type: new Struct(schema.fields), length: batch.numRows, children }),
  );
}

function sameType(a: DataType, b: DataType): boolean {
  if (DataType.isFloat(b))
    return DataType.isFloat(a) && (a as Float64).precision === (b as Float64).precision;
  if (DataType.isBool(b)) return DataType.isBool(a);
  return DataType.isUtf8(a) && DataType.isUtf8(b);
}

function convert(value: unknown, type: DataType): unknown {
  if (value === null || value === undefined) return null;
  if (DataType.isFloat(type)) {
    const n = typeof value === 'bigint' ? Number(value) : typeof value === 'number' ? value : Number(value);
    return Number.isFinite(n) ? n : null;
  }
  if (DataType.isBool(type)) return typeof value === 'boolean' ? value : null;
  if (value instanceof Date) return value.toISOString();
  return typeof value === 'string' ? value : String(value);
}
