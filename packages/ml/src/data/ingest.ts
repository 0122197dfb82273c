import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import type { Table } from 'apache-arrow';
import { tableFromIPC } from 'apache-arrow';
import { parseCsv } from './csv.js';
import { sha256Hex } from './hash.js';
import type { ColumnType, Row } from './table.js';
import { rowsOf, tableFromRows } from './table.js';

export type DataFormat = 'csv' | 'json' | 'jsonl' | 'arrow';

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
}

const EXTENSIONS: Readonly<Record<string, DataFormat>> = {
  '.csv': 'csv',
  '.json': 'json',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
  '.arrow': 'arrow',
  '.feather': 'arrow',
  '.ipc': 'arrow',
};

/**
 * Read a CSV, JSON array, JSONL or Arrow IPC file, or every such file of a directory (sorted by
 * name, other files ignored, not recursive), into one table; `spans` records each file's name,
 * rows and sha256 so the data version can be stored with the run.
 */
export async function readDataset(path: string, options: IngestOptions = {}): Promise<IngestResult> {
  const info = await stat(path);
  const files = info.isDirectory() ? await dataFilesIn(path, options.format) : [path];
  if (files.length === 0) {
    throw new Error(
      `No data files in ${path}: expected names ending in ${Object.keys(EXTENSIONS).join(', ')}`,
    );
  }
  const rows: Row[] = [];
  const spans: Span[] = [];
  for (const file of files) {
    const format = options.format ?? formatOf(file);
    const bytes = await readFile(file);
    const fileRows = parseRows(bytes, format, file, options.delimiter);
    for (const row of fileRows) rows.push(row);
    spans.push({
      file: basename(file),
      format,
      rows: fileRows.length,
      bytes: bytes.byteLength,
      sha256: sha256Hex(bytes),
    });
  }
  return { table: tableFromRows(rows, options.schemaHint), spans };
}

/** Parse the bytes of one file of the given format into rows. `source` only names it in errors. */
export function parseRows(
  bytes: Uint8Array,
  format: DataFormat,
  source = 'input',
  delimiter?: string,
): Row[] {
  if (format === 'arrow') return rowsOf(tableFromIPC(bytes));
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

export function formatOf(file: string): DataFormat {
  const format = EXTENSIONS[extname(file).toLowerCase()];
  if (!format) {
    throw new Error(
      `Cannot tell the format of ${file} from its extension; pass { format } (one of csv, json, jsonl, arrow)`,
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
