import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { RecordBatch, Schema } from 'apache-arrow';
import { Table, tableFromIPC } from 'apache-arrow';
import { parseCsv } from './csv.js';
import { emptyTable } from './read/batch-builder.js';
import { DataFormatError } from './read/data-error.js';
import { type DataFile, localFile } from './read/data-file.js';
import { canonicalSchema, conformBatch } from './read/normalize.js';
import { type DataFormat, type ReadInfo, readBatches } from './read/read-batches.js';
import type { ColumnType, Row } from './table.js';
import { columnTypeOfField, rowsOf } from './table.js';

export type { DataFormat } from './read/read-batches.js';

/** One file that went into a dataset: enough to tell later exactly which bytes were read. */
export interface Span {
  readonly file: string;
  readonly format: DataFormat;
  readonly rows: number;
  readonly bytes: number;
  readonly sha256: string;
}

export interface IngestResult {
  readonly table: Table;
  readonly spans: Span[];
}

export interface IngestOptions {
  /** Read every file as this format instead of going by its extension. */
  readonly format?: DataFormat;
  /** Column types to force (see `tableFromRows`). */
  readonly schemaHint?: Readonly<Record<string, ColumnType>>;
  /** CSV field separator. Default `,`. */
  readonly delimiter?: string;
  /**
   * Read only these columns (as pandas `usecols`): the others are not typed, parsed or decoded, so
   * an unselected column of an unsupported type, or one whose type changes mid-file, is no error.
   * The table's columns are the selected ones in the file's order; a selected column the file
   * lacks is an error naming the file's columns. Spans (sha256, bytes) still cover whole files.
   */
  readonly columns?: readonly string[];
  /** Called with each file's column names once they are known, before its first batch or row error. */
  readonly onColumns?: (names: readonly string[]) => void;
}

const EXTENSIONS: Readonly<Record<string, DataFormat>> = {
  '.csv': 'csv',
  '.json': 'json',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
  '.arrow': 'arrow',
  '.feather': 'arrow',
  '.ipc': 'arrow',
  '.parquet': 'parquet',
  '.pq': 'parquet',
};

/**
 * Read a CSV, JSON array, JSONL, Arrow IPC or Parquet file, or every such file of a directory
 * (sorted by name, other files ignored, not recursive), or a list of DataFiles (e.g. objects of a
 * data source), into one table. Files are streamed as record batches (see `datasetBatches`), so
 * memory holds the table being built and one batch, never a file's text. Later files take the
 * first file's column types. `spans` records each file's name, rows, bytes and sha256.
 */
export async function readDataset(
  input: string | readonly DataFile[],
  options: IngestOptions = {},
): Promise<IngestResult> {
  const spans: Span[] = [];
  const header: DatasetHeader = { names: [], types: {} };
  const batches: RecordBatch[] = [];
  for await (const batch of datasetBatches(input, options, spans, header)) batches.push(batch);
  const table = batches.length > 0 ? new Table(batches) : emptyTable(header.names, header.types);
  return { table, spans };
}

/** The first file's columns and types, complete once its reading ends. */
export interface DatasetHeader {
  names: string[];
  types: Record<string, ColumnType>;
}

/**
 * The record batches of a dataset (as `readDataset` reads it) as they are read, each with the
 * dataset's one schema, so a caller can split or profile a file of any size in bounded memory
 * (the ingest step). `spans` gets each file's span once the file is read to its end; `header`
 * the first file's columns (for a dataset without rows).
 */
export async function* datasetBatches(
  input: string | readonly DataFile[],
  options: IngestOptions = {},
  spans: Span[] = [],
  header: DatasetHeader = { names: [], types: {} },
): AsyncGenerator<RecordBatch> {
  const files = typeof input === 'string' ? await filesAt(input, options.format) : input;
  let first: ReadInfo | undefined;
  let schema: Schema | undefined;
  for (const file of files) {
    const format = options.format ?? formatOf(file.name);
    const info: ReadInfo = { names: [], types: {}, rows: 0, bytes: 0, sha256: '' };
    const schemaHint = { ...(first?.types ?? {}), ...(options.schemaHint ?? {}) };
    const readOptions = {
      schemaHint,
      ...(options.delimiter === undefined ? {} : { delimiter: options.delimiter }),
      ...(options.columns === undefined ? {} : { columns: options.columns }),
      ...(options.onColumns === undefined ? {} : { onColumns: options.onColumns }),
    };
    for await (const batch of readBatches(file, format, readOptions, info)) {
      // The first batch fixes the schema: its columns and types are the first file's (a reader
      // decides the types before its first batch; later files are read with them as hints).
      schema ??= canonicalSchema(
        batch.schema.fields.map((field) => field.name),
        Object.fromEntries(batch.schema.fields.map((field) => [field.name, columnTypeOfField(field)])),
      );
      yield conformBatch(batch, schema);
    }
    if (first && info.names.join('\u0000') !== first.names.join('\u0000')) {
      throw new DataFormatError(
        { file: file.name },
        `its columns (${info.names.join(', ')}) differ from ${files[0]!.name}'s (${first.names.join(', ')})`,
        'give every file of a dataset the same columns in the same order',
      );
    }
    if (!first) {
      first = info;
      header.names = info.names;
      header.types = info.types;
    }
    spans.push({ file: file.name, format, rows: info.rows, bytes: info.bytes, sha256: info.sha256 });
  }
  if (!first) throw new Error('readDataset: no files given');
}

async function filesAt(path: string, format: DataFormat | undefined): Promise<DataFile[]> {
  const info = await stat(path);
  const paths = info.isDirectory() ? await dataFilesIn(path, format) : [path];
  if (paths.length === 0) {
    throw new Error(
      `No data files in ${path}: expected names ending in ${Object.keys(EXTENSIONS).join(', ')}`,
    );
  }
  if (!format) for (const p of paths) formatOf(p);
  return paths.map(localFile);
}

/** Parse the bytes of one file of the given format into rows. `source` only names it in errors. */
export function parseRows(
  bytes: Uint8Array,
  format: DataFormat,
  source = 'input',
  delimiter?: string,
): Row[] {
  if (format === 'arrow') return rowsOf(tableFromIPC(bytes));
  if (format === 'parquet')
    throw new Error('parseRows reads text formats and Arrow; read Parquet with readDataset');
  const text = new TextDecoder('utf-8').decode(bytes);
  try {
    switch (format) {
      case 'csv':
        return parseCsv(text, delimiter === undefined ? {} : { delimiter });
      case 'json':
        return jsonArrayRows(text);
      case 'jsonl':
        return jsonLinesRows(text);
    }
  } catch (error) {
    throw new Error(`Cannot read ${source} as ${format}: ${(error as Error).message}`, { cause: error });
  }
}

/** Whether a file name has one of the data extensions readDataset knows. */
export function hasDataExtension(file: string): boolean {
  return extname(file).toLowerCase() in EXTENSIONS;
}

export function formatOf(file: string): DataFormat {
  const format = EXTENSIONS[extname(file).toLowerCase()];
  if (!format) {
    throw new Error(
      `Cannot tell the format of ${file} from its extension; pass { format } (one of csv, json, jsonl, arrow, parquet)`,
    );
  }
  return format;
}

async function dataFilesIn(dir: string, format: DataFormat | undefined): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && !entry.name.startsWith('.'))
    .filter((entry) => (format ? true : extname(entry.name).toLowerCase() in EXTENSIONS))
    .map((entry) => entry.name)
    .sort()
    .map((name) => join(dir, name));
}

function jsonArrayRows(text: string): Row[] {
  const parsed: unknown = JSON.parse(text);
  if (!Array.isArray(parsed)) throw new Error('expected a JSON array of objects');
  return parsed.map((value, index) => toRow(value, `element ${index}`));
}

function jsonLinesRows(text: string): Row[] {
  const rows: Row[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '') return;
    rows.push(toRow(JSON.parse(line), `line ${index + 1}`));
  });
  return rows;
}

function toRow(value: unknown, where: string): Row {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(`${where} is not an object`);
  }
  const row: Row = {};
  for (const [key, cell] of Object.entries(value)) {
    if (cell === null || typeof cell === 'string' || typeof cell === 'number' || typeof cell === 'boolean') {
      row[key] = cell;
    } else {
      // Nested values are kept as their JSON text: the data model has flat columns only.
      row[key] = JSON.stringify(cell);
    }
  }
  return row;
}
