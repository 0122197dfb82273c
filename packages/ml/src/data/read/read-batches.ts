import { createHash } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { text } from 'node:stream/consumers';
import type { RecordBatch } from 'apache-arrow';
import { DataType, RecordBatchReader } from 'apache-arrow';
import type { ColumnType } from '../table.js';
import { columnTypeOfField } from '../table.js';
import { type BatchStreamInfo, csvBatches } from './csv-batches.js';
import { type ColumnSelection, DataFormatError, keptColumns } from './data-error.js';
import { asyncBufferOf, type DataFile } from './data-file.js';
import { hashingBuffer, inlineHasher, threadHasher } from './hashing-buffer.js';
import { jsonArrayBatches, jsonLinesBatches } from './json-batches.js';
import { parquetBatches } from './parquet-batches.js';

export type DataFormat = 'csv' | 'json' | 'jsonl' | 'arrow' | 'parquet';

export interface ReadOptions extends ColumnSelection {
  readonly schemaHint?: Readonly<Record<string, ColumnType>>;
  readonly delimiter?: string;
  /**
   * Read only these columns (as pandas `usecols`, pyarrow `columns=`): the others are not typed,
   * parsed or built (Parquet: their column chunks are not decoded), so an unselected column of an
   * unsupported type, or one whose type changes mid-file, is no error. Batches hold the selected
   * columns that the file has, in the file's order; `info.names` still lists all of the file's
   * columns (a caller names them when a selected one is missing). Default: every column.
   */
  readonly columns?: readonly string[];
}

/** The column selection of a read's options, as the readers take it. */
function selectionOf({ columns, onColumns }: ReadOptions): ColumnSelection {
  return { ...(columns ? { columns } : {}), ...(onColumns ? { onColumns } : {}) };
}

/** What was read, filled in as the batches stream: columns, types, rows, bytes and the file's sha256. */
export interface ReadInfo extends BatchStreamInfo {
  rows: number;
  bytes: number;
  sha256: string;
}

/**
 * The record batches of one file, streamed: memory holds about one batch (64 Ki rows, or one
 * Parquet row group), never the file. `info` is complete when the generator finishes.
 */
export async function* readBatches(
  file: DataFile,
  format: DataFormat,
  options: ReadOptions = {},
  info: ReadInfo = { names: [], types: {}, rows: 0, bytes: 0, sha256: '' },
): AsyncGenerator<RecordBatch> {
  const hash = createHash('sha256');
  let source: AsyncIterable<RecordBatch>;
  let parquet: ReturnType<typeof hashingBuffer> | undefined;
  if (format === 'parquet') {
    const buffer = await asyncBufferOf(file);
    // A large file is hashed in a second thread while this one decodes it.
    // parquetBatches keeps no view into a row group's bytes once it has decoded them: handed over.
    const large = buffer.byteLength > 32 << 20;
    parquet = hashingBuffer(buffer, large ? threadHasher() : inlineHasher(), { handOver: large });
    source = parquetBatches(parquet, file.name, info, selectionOf(options));
  } else {
    // Hash and count the bytes as they pass on their way to the parser.
    const tap = new PassThrough({ highWaterMark: 1 << 20 });
    const input = file.stream();
    input.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      info.bytes += chunk.length;
    });
    input.on('error', (error) => tap.destroy(error));
    input.pipe(tap);
    const hint = options.schemaHint ?? {};
    switch (format) {
      case 'csv':
        source = csvBatches(tap, file.name, { ...options }, info);
        break;
      case 'jsonl':
        source = jsonLinesBatches(tap, file.name, hint, info, selectionOf(options));
        break;
      case 'json':
        source = jsonArrayBatches(await text(tap), file.name, hint, info, selectionOf(options));
        break;
      case 'arrow':
        source = arrowBatches(tap, file.name, info, selectionOf(options));
        break;
    }
  }
  let complete = false;
  try {
    for await (const batch of source) {
      info.rows += batch.numRows;
      yield batch;
    }
    complete = true;
  } finally {
    // An error, or a consumer that stopped iterating: the hashing thread is not needed any more.
    if (!complete) parquet?.close();
  }
  if (parquet) {
    const { bytes, sha256 } = await parquet.finish();
    info.bytes = bytes;
    info.sha256 = sha256;
  } else info.sha256 = hash.digest('hex');
}

async function* arrowBatches(
  input: AsyncIterable<Uint8Array>,
  file: string,
  info: BatchStreamInfo,
  selection: ColumnSelection,
): AsyncGenerator<RecordBatch> {
  let reader: RecordBatchReader;
  try {
    reader = await RecordBatchReader.from(input);
  } catch (error) {
    throw new DataFormatError(
      { file },
      `not an Arrow IPC file or stream (${(error as Error).message})`,
      'write it with an Arrow IPC writer (feather v2)',
    );
  }
  await reader.open();
  info.names = reader.schema.fields.map((f) => f.name);
  const kept = keptColumns(file, info.names, selection);
  for (const field of reader.schema.fields) {
    // An unselected column is never decoded: its type does not matter.
    if (!kept.includes(field.name)) continue;
    if (DataType.isList(field.type) || DataType.isStruct(field.type) || DataType.isMap(field.type)) {
      throw new DataFormatError(
        { file, column: field.name },
        `the nested type ${field.type} is not supported`,
        'select other columns',
      );
    }
    info.types[field.name] = columnTypeOfField(field);
  }
  // selectAt, not select: apache-arrow's select places the children at their old indexes.
  const indexes = kept.map((name) => info.names.indexOf(name));
  for await (const batch of reader) yield selection.columns ? batch.selectAt(indexes) : batch;
}
