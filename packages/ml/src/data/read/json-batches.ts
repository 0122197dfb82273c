import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { RecordBatch } from 'apache-arrow';
import type { ColumnType } from '../table.js';
import { BatchBuilder, type RawValue } from './batch-builder.js';
import type { BatchStreamInfo } from './csv-batches.js';
import { type ColumnSelection, DataFormatError, keptColumns } from './data-error.js';

/**
 * Streams a JSON Lines file, one object per line, into Arrow record batches. The columns are the
 * keys of the first batch's objects in first-seen order; a key first seen later is an error naming
 * the row (declare it with schemaHint). Nested values are kept as their JSON text. With `columns`,
 * only those keys are typed and built; other keys (even ones first seen late) are ignored.
 */
export async function* jsonLinesBatches(
  input: Readable,
  file: string,
  schemaHint: Readonly<Record<string, ColumnType>> = {},
  info: BatchStreamInfo = { names: [], types: {} },
  selection: ColumnSelection = {},
): AsyncGenerator<RecordBatch> {
  const wanted = selection.columns && new Set(selection.columns);
  let kept: string[] = [];
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let line = 0;
  let window: Record<string, RawValue>[] = [];
  let builder: BatchBuilder | undefined;
  const start = (rows: Record<string, RawValue>[]) => {
    const names = [...new Set([...rows.flatMap((row) => Object.keys(row)), ...Object.keys(schemaHint)])];
    info.names = names;
    kept = keptColumns(file, names, selection);
    builder = new BatchBuilder(file, kept, schemaHint, false);
  };
  let row = 0;
  const push = (object: Record<string, RawValue>): RecordBatch | undefined => {
    row++;
    for (const key of Object.keys(object)) {
      if (!info.names.includes(key) && (!wanted || wanted.has(key))) {
        throw new DataFormatError(
          { file, row, column: key },
          'a key that the first rows did not have',
          `declare it with schemaHint { "${key}": "numeric" | "categorical" | "boolean" }`,
          key,
        );
      }
    }
    return builder!.push(kept.map((name) => object[name] ?? null));
  };
  for await (const text of lines) {
    line++;
    if (text.trim() === '') continue;
    const object = parseObject(text, file, line);
    if (builder) {
      const batch = push(object);
      if (batch) yield batch;
      continue;
    }
    window.push(object);
    if (window.length >= 4096) {
      start(window);
      for (const o of window) {
        const batch = push(o);
        if (batch) yield batch;
      }
      window = [];
    }
  }
  if (!builder) {
    start(window);
    for (const o of window) push(o);
  }
  const last = builder!.flush();
  info.types = builder!.columnTypes()!;
  if (last) yield last;
}

/** A JSON array of objects (read whole: JSON arrays cannot be streamed line by line) as batches. */
export async function* jsonArrayBatches(
  text: string,
  file: string,
  schemaHint: Readonly<Record<string, ColumnType>> = {},
  info: BatchStreamInfo = { names: [], types: {} },
  selection: ColumnSelection = {},
): AsyncGenerator<RecordBatch> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new DataFormatError(
      { file },
      `not valid JSON (${(error as Error).message})`,
      'write a JSON array of objects, or use JSON Lines (.jsonl)',
    );
  }
  if (!Array.isArray(parsed))
    throw new DataFormatError(
      { file },
      'expected a JSON array of objects',
      'write [ {...}, {...} ] or use .jsonl',
    );
  const rows = parsed.map((value, index) => toObject(value, file, index + 1));
  const names = [...new Set([...rows.flatMap((row) => Object.keys(row)), ...Object.keys(schemaHint)])];
  info.names = names;
  const kept = keptColumns(file, names, selection);
  const builder = new BatchBuilder(file, kept, schemaHint, false);
  for (const row of rows) {
    const batch = builder.push(kept.map((name) => row[name] ?? null));
    if (batch) yield batch;
  }
  const last = builder.flush();
  info.types = builder.columnTypes()!;
  if (last) yield last;
}

function parseObject(text: string, file: string, line: number): Record<string, RawValue> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new DataFormatError(
      { file, row: line },
      `line ${line} is not valid JSON (${(error as Error).message})`,
      'write one JSON object per line',
    );
  }
  return toObject(value, file, line);
}

function toObject(value: unknown, file: string, row: number): Record<string, RawValue> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new DataFormatError(
      { file, row },
      'is not a JSON object',
      'each row must be an object of column values',
    );
  }
  const out: Record<string, RawValue> = {};
  for (const [key, cell] of Object.entries(value)) {
    out[key] =
      cell === null || typeof cell === 'string' || typeof cell === 'number' || typeof cell === 'boolean'
        ? cell
        : // Nested values are kept as their JSON text: the data model has flat columns only.
          JSON.stringify(cell);
  }
  return out;
}
