import { isUtf8 } from 'node:buffer';
import type { RecordBatch, Vector } from 'apache-arrow';
import { Bool, Float64, makeData, makeVector, Table, Utf8, vectorFromArray } from 'apache-arrow';
import type { AsyncBuffer, FileMetaData, SchemaElement, SchemaTree } from 'hyparquet';
import { parquetMetadataAsync, parquetSchema } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import type { ColumnType } from '../table.js';
import { utf8FromBuffers } from '../typed-columns.js';
import type { BatchStreamInfo } from './csv-batches.js';
import { type ColumnSelection, DataFormatError, keptColumns } from './data-error.js';
import { type DecodedColumn, decodeColumnChunk } from './parquet-column.js';

/**
 * Reads a Parquet file one row group at a time (one ranged read of that group's column chunks from
 * `file`), as Arrow record batches whose buffers the page decoder (parquet-column.ts) filled
 * directly. Numbers (int/float/decimal) become Float64, booleans Bool, strings Utf8; other types
 * (nested lists, maps, structs, binary, timestamps) are a DataFormatError naming the file, row group
 * and column. With `selection.columns`, only those columns are typed and decoded: an unselected column of
 * any type is skipped (its chunks are only read on the way, for the file's sha256).
 */
export async function* parquetBatches(
  file: AsyncBuffer,
  name: string,
  info: BatchStreamInfo = { names: [], types: {} },
  /** Decode only these columns (the others' chunks are neither typed, read for decoding nor decoded). */
  selection: ColumnSelection = {},
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
  info.names = columns.map((c) => c.element.name);
  const kept = new Set(keptColumns(name, info.names, selection));
  // Each top-level column's first leaf: a row group's column chunks are one per leaf, in schema
  // order, so a nested column before a flat one shifts the flat one's chunk index.
  const leafIndex: number[] = [];
  let leaves = 0;
  for (const column of columns) {
    leafIndex.push(leaves);
    leaves += leafCount(column);
  }
  const types: Record<string, ColumnType> = {};
  const wanted: { element: SchemaElement; type: ColumnType; chunk: number }[] = [];
  columns.forEach((column, c) => {
    if (!kept.has(column.element.name)) return;
    const type = columnTypeOf(column.element, column.children.length, name);
    types[column.element.name] = type;
    wanted.push({ element: column.element, type, chunk: leafIndex[c]! });
  });
  info.types = types;
  for (let group = 0; group < metadata.row_groups.length; group++) {
    const rowGroup = metadata.row_groups[group]!;
    const rows = Number(rowGroup.num_rows);
    const chunks = wanted.map((column) => {
      const meta = rowGroup.columns[column.chunk]!.meta_data!;
      const from = Number(meta.dictionary_page_offset || meta.data_page_offset);
      return { column, meta, from, to: from + Number(meta.total_compressed_size) };
    });
    const vectors: Record<string, Vector> = {};
    // The wanted chunks in file order, read in runs: chunks less than READ_GAP apart are one read
    // (every chunk of an unprojected row group is one read: one round trip on an object store).
    // Each run is decoded before the next read: the hashing buffer may hand a read's bytes to its
    // thread at the next read.
    const ordered = [...chunks].sort((a, b) => a.from - b.from);
    for (let first = 0; first < ordered.length; ) {
      let last = first;
      while (last + 1 < ordered.length && ordered[last + 1]!.from - ordered[last]!.to <= READ_GAP) last++;
      const run = ordered.slice(first, last + 1);
      first = last + 1;
      const from = run[0]!.from;
      const to = Math.max(...run.map((c) => c.to));
      const bytes = rows === 0 ? new Uint8Array(0) : new Uint8Array(await file.slice(from, to));
      for (const { column, meta, from: at, to: end } of run) {
        const element = column.element;
        try {
          const decoded = decodeColumnChunk({
            element,
            type: column.type,
            maxDefinition: element.repetition_type === 'REQUIRED' ? 0 : 1,
            codec: meta.codec,
            compressors,
            rows,
            chunk: rows === 0 ? bytes : bytes.subarray(at - from, end - from),
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
    }
    // The batch's columns in the file's order, whatever order their chunks lie in.
    const inFileOrder: Record<string, Vector> = {};
    for (const column of wanted) inFileOrder[column.element.name] = vectors[column.element.name]!;
    const batch = new Table(inFileOrder).batches[0];
    if (batch) yield batch;
  }
}

/** Wanted column chunks at most this far apart are read together (the bytes between are skipped). */
const READ_GAP = 1 << 20;

function leafCount(column: SchemaTree): number {
  return column.children.length === 0 ? 1 : column.children.reduce((n, child) => n + leafCount(child), 0);
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
