import { isUtf8 } from 'node:buffer';
import type { RecordBatch, Vector } from 'apache-arrow';
import { Bool, Float64, makeData, makeVector, Table, Utf8, vectorFromArray } from 'apache-arrow';
import type { AsyncBuffer, FileMetaData } from 'hyparquet';
import { parquetMetadataAsync, parquetSchema } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import type { ColumnType } from '../table.js';
import { utf8FromBuffers } from '../typed-columns.js';
import type { BatchStreamInfo } from './csv-batches.js';
import { DataFormatError } from './data-error.js';
import { type DecodedColumn, decodeColumnChunk } from './parquet-column.js';

/**
 * Reads a Parquet file one row group at a time (one ranged read of that group's column chunks from
 * `file`), as Arrow record batches whose buffers the page decoder (parquet-column.ts) filled
 * directly. Numbers (int/float/decimal) become Float64, booleans Bool, strings Utf8; other types
 * (nested lists, maps, structs, binary, timestamps) are a DataFormatError naming the file, row group
 * and column.
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
  const leaves = columns.map((c) => c.element);
  for (let group = 0; group < metadata.row_groups.length; group++) {
    const rowGroup = metadata.row_groups[group]!;
    const rows = Number(rowGroup.num_rows);
    // One read for the whole row group: its column chunks are contiguous in every writer we know,
    // and a single range is one round trip on an object store.
    const ranges = rowGroup.columns.map((column) => {
      const meta = column.meta_data!;
      const from = Number(meta.dictionary_page_offset || meta.data_page_offset);
      return { from, to: from + Number(meta.total_compressed_size) };
    });
    const from = Math.min(...ranges.map((r) => r.from));
    const to = Math.max(...ranges.map((r) => r.to));
    const bytes = rows === 0 ? new Uint8Array(0) : new Uint8Array(await file.slice(from, to));
    const vectors: Record<string, Vector> = {};
    for (let c = 0; c < leaves.length; c++) {
      const element = leaves[c]!;
      const meta = rowGroup.columns[c]!.meta_data!;
      try {
        const decoded = decodeColumnChunk({
          element,
          type: types[element.name]!,
          maxDefinition: element.repetition_type === 'REQUIRED' ? 0 : 1,
          codec: meta.codec,
          compressors,
          rows,
          chunk: bytes.subarray(ranges[c]!.from - from, ranges[c]!.to - from),
        });
        vectors[element.name] = toVector(decoded);
      } catch (error) {
        if (error instanceof DataFormatError) throw error;
        throw new DataFormatError(
          { file: name, rowGroup: group, column: element.name },
          `cannot decode (${(error as Error).message})`,
          'check the file with another Parquet reader',
        );
      }
    }
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

/** A decoded column chunk as an Arrow vector over its own buffers (no copy). */
function toVector(column: DecodedColumn): Vector {
  const { rows, nulls, valid } = column;
  const nullBitmap = nulls > 0 ? valid : null;
  if (column.type === 'numeric')
    return makeVector(
      makeData({ type: new Float64(), length: rows, nullCount: nulls, data: column.numbers!, nullBitmap }),
    );
  if (column.type === 'boolean')
    return makeVector(
      makeData({ type: new Bool(), length: rows, nullCount: nulls, data: column.bits!, nullBitmap }),
    );
  const bytes = column.bytes!;
  if (!isUtf8(bytes)) {
    // Not valid UTF-8 (a Parquet writer's bug): decoded with replacement characters, as text readers do.
    const decoder = new TextDecoder();
    const offsets = column.offsets!;
    const texts: (string | null)[] = new Array(rows);
    for (let i = 0; i < rows; i++)
      texts[i] =
        (valid[i >> 3]! >> (i & 7)) & 1 ? decoder.decode(bytes.subarray(offsets[i]!, offsets[i + 1]!)) : null;
    return vectorFromArray(texts, new Utf8());
  }
  return utf8FromBuffers(rows, nulls, column.offsets!, bytes, valid);
}
