import { isUtf8 } from 'node:buffer';
import type { RecordBatch, Vector } from 'apache-arrow';
import { Bool, Float64, makeData, makeVector, Table, Utf8, vectorFromArray } from 'apache-arrow';
import type { AsyncBuffer, FileMetaData } from 'hyparquet';
import { parquetMetadataAsync, parquetRead, parquetSchema } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import type { ColumnType } from '../table.js';
import { utf8FromBuffers } from '../typed-columns.js';
import type { BatchStreamInfo } from './csv-batches.js';
import { DataFormatError } from './data-error.js';

/**
 * Reads a Parquet file one row group at a time (hyparquet fetches only that group's byte ranges
 * from `file`), as Arrow record batches. Numbers (int/float/decimal) become Float64, booleans Bool,
 * strings Utf8; other types (nested lists, maps, structs, binary) are a DataFormatError naming the
 * column and row group.
 */
export async function* parquetBatches(
  file: AsyncBuffer,
  name: string,
  info: BatchStreamInfo = { names: [], types: {} },
): AsyncGenerator<RecordBatch> {
  let metadata: FileMetaData;
  try {
    metadata = await parquetMetadataAsync(file);
  } catch (error) {
    throw new DataFormatError(
      { file: name },
      `not a readable Parquet file (${(error as Error).message})`,
      'check that the file is complete Parquet',
    );
  }
  const columns = parquetSchema(metadata).children;
  const types: Record<string, ColumnType> = {};
  for (const column of columns)
    types[column.element.name] = columnTypeOf(column.element, column.children.length, name);
  info.names = columns.map((c) => c.element.name);
  info.types = types;
  let start = 0;
  for (let group = 0; group < metadata.row_groups.length; group++) {
    const rows = Number(metadata.row_groups[group]!.num_rows);
    const chunks = new Map<string, Part[]>(info.names.map((n) => [n, []]));
    try {
      await parquetRead({
        file,
        metadata,
        compressors,
        // Strings stay bytes: they are copied into the Utf8 vector's buffer as they are (decoding
        // each to a JS string and encoding it back was most of the read time).
        parsers: { stringFromBytes: (bytes: Uint8Array) => bytes as unknown as string },
        rowStart: start,
        rowEnd: start + rows,
        onChunk: (chunk) => {
          chunks
            .get(chunk.columnName)
            ?.push({ at: chunk.rowStart - start, data: chunk.columnData as unknown as ArrayLike<unknown> });
        },
      });
    } catch (error) {
      if (error instanceof DataFormatError) throw error;
      throw new DataFormatError(
        { file: name, rowGroup: group },
        `cannot decode (${(error as Error).message})`,
        'check the file with another Parquet reader',
      );
    }
    const vectors: Record<string, Vector> = {};
    for (const column of info.names) vectors[column] = toVector(chunks.get(column)!, types[column]!, rows);
    start += rows;
    const batch = new Table(vectors).batches[0];
    if (batch) yield batch;
  }
}

function columnTypeOf(
  element: { name: string; type?: string; converted_type?: string; logical_type?: { type: string } },
  children: number,
  file: string,
): ColumnType {
  const logical = element.logical_type?.type ?? element.converted_type;
  if (children === 0) {
    if (element.type === 'BOOLEAN') return 'boolean';
    if (
      element.type === 'DOUBLE' ||
      element.type === 'FLOAT' ||
      element.type === 'INT32' ||
      element.type === 'INT64'
    ) {
      if (
        logical === 'DATE' ||
        logical === 'TIMESTAMP' ||
        logical === 'TIME' ||
        logical === 'TIMESTAMP_MILLIS' ||
        logical === 'TIMESTAMP_MICROS'
      ) {
        return unsupported(file, element.name, `the ${logical} type`);
      }
      return 'numeric';
    }
    if (
      element.type === 'BYTE_ARRAY' &&
      (logical === 'STRING' || logical === 'UTF8' || logical === 'ENUM' || logical === 'JSON')
    ) {
      return 'categorical';
    }
    return unsupported(
      file,
      element.name,
      `the physical type ${element.type}${logical ? ` (${logical})` : ''}`,
    );
  }
  return unsupported(file, element.name, 'a nested type (list, map or struct)');
}

function unsupported(file: string, column: string, what: string): never {
  throw new DataFormatError(
    { file, rowGroup: 0, column },
    `${what} is not supported (Strata's tables hold numbers, booleans and strings)`,
    'select other columns with `columns`, or cast this one to double or string before writing the file',
  );
}

/** Decoded values of one column, starting at row `at` of the row group. */
interface Part {
  readonly at: number;
  readonly data: ArrayLike<unknown>;
}

/** The decoded pages of one column of one row group as an Arrow vector (rows never delivered are null). */
function toVector(parts: readonly Part[], type: ColumnType, rows: number): Vector {
  if (type === 'numeric') {
    const out = new Float64Array(rows);
    const valid = new Uint8Array((rows + 7) >> 3);
    for (const { at, data } of parts) {
      for (let j = Math.max(0, -at); j < data.length && at + j < rows; j++) {
        const v = data[j];
        if (v === null || v === undefined) continue;
        const i = at + j;
        out[i] = typeof v === 'bigint' ? Number(v) : (v as number);
        valid[i >> 3]! |= 1 << (i & 7);
      }
    }
    let present = 0;
    for (let i = 0; i < rows; i++) present += (valid[i >> 3]! >> (i & 7)) & 1;
    const nulls = rows - present;
    return makeVector(
      makeData({
        type: new Float64(),
        length: rows,
        nullCount: nulls,
        data: out,
        nullBitmap: nulls > 0 ? valid : null,
      }),
    );
  }
  const values: unknown[] = new Array(rows).fill(null);
  for (const { at, data } of parts) {
    for (let j = Math.max(0, -at); j < data.length && at + j < rows; j++) values[at + j] = data[j] ?? null;
  }
  return type === 'boolean' ? vectorFromArray(values as (boolean | null)[], new Bool()) : textVector(values);
}

const encoder = new TextEncoder();

/** A Utf8 vector from the reader's values: byte arrays copied as they are, anything else as its text. */
function textVector(values: readonly unknown[]): Vector {
  const rows = values.length;
  const offsets = new Int32Array(rows + 1);
  const valid = new Uint8Array((rows + 7) >> 3);
  const bytes: (Uint8Array | null)[] = new Array(rows);
  let total = 0;
  let nulls = 0;
  for (let i = 0; i < rows; i++) {
    const v = values[i];
    if (v === null || v === undefined) {
      bytes[i] = null;
      nulls++;
      continue;
    }
    const b = v instanceof Uint8Array ? v : encoder.encode(typeof v === 'string' ? v : JSON.stringify(v));
    bytes[i] = b;
    total += b.length;
  }
  let data = new Uint8Array(total);
  let at = 0;
  for (let i = 0; i < rows; i++) {
    const b = bytes[i];
    if (b) {
      if (b.length < 32) for (let k = 0; k < b.length; k++) data[at + k] = b[k]!;
      else data.set(b, at);
      at += b.length;
      valid[i >> 3]! |= 1 << (i & 7);
    }
    offsets[i + 1] = at;
  }
  if (!isUtf8(data)) {
    // Not valid UTF-8 (a Parquet writer's bug): decoded with replacement characters, as text readers do.
    const texts = bytes.map((b) => (b ? new TextDecoder().decode(b) : null));
    return vectorFromArray(texts, new Utf8());
  }
  data = data.subarray(0, at);
  return utf8FromBuffers(rows, nulls, offsets, data, valid);
}
