import type { Readable } from 'node:stream';
import type { RecordBatch } from 'apache-arrow';
import Papa from 'papaparse';
import type { ColumnType } from '../table.js';
import { BatchBuilder, type RawValue } from './batch-builder.js';
import { DataFormatError } from './data-error.js';

export interface CsvBatchOptions {
  readonly delimiter?: string;
  readonly schemaHint?: Readonly<Record<string, ColumnType>>;
}

/** What a batch reader hands back besides the batches: the header and the decided column types. */
export interface BatchStreamInfo {
  names: string[];
  types: Record<string, ColumnType>;
}

/**
 * Streams a CSV file through PapaParse into Arrow record batches; memory holds about one batch,
 * never the file. RFC 4180: quoted fields with delimiters, line breaks and "" escapes, LF or CRLF,
 * a leading BOM. Empty fields are null (quoted or not). Blank lines are skipped. A ragged row, an
 * unterminated quote or text after a closing quote is a DataFormatError naming file, row, column.
 *
 * The text is cut into pieces at line breaks outside quotes (an even number of quote characters
 * before the break: "" escapes count two) and each piece is parsed whole by PapaParse, which is
 * several times faster than its own Node stream mode.
 */
export async function* csvBatches(
  input: Readable,
  file: string,
  options: CsvBatchOptions = {},
  info: BatchStreamInfo = { names: [], types: {} },
): AsyncGenerator<RecordBatch> {
  const delimiter = options.delimiter ?? ',';
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new Error(
      `CSV delimiter must be one character other than a quote or line break, got ${JSON.stringify(delimiter)}`,
    );
  }
  const decoder = new TextDecoder('utf-8');
  let carry = '';
  let builder: BatchBuilder | undefined;
  let row = 0;
  const rowsOf = function* (piece: string): Generator<RecordBatch> {
    const result = Papa.parse<string[]>(piece, { delimiter, skipEmptyLines: true });
    const problem = result.errors[0];
    if (problem) throw csvError(problem, file, info.names, row + (builder ? 1 : 0));
    for (const record of result.data) {
      if (!builder) {
        builder = startBuilder(record, file, options.schemaHint, info);
        continue;
      }
      row++;
      if (record.length !== info.names.length) {
        const column = info.names[Math.min(record.length, info.names.length - 1)]!;
        throw new DataFormatError(
          { file, row, column },
          `row ${row} has ${record.length} fields, the header has ${info.names.length}`,
          'every row needs one field per header column (quote fields that contain the delimiter)',
        );
      }
      const batch = builder.push(record.map(emptyIsNull));
      if (batch) {
        info.types = builder.columnTypes()!;
        yield batch;
      }
    }
  };
  for await (const chunk of input) {
    const text = carry + decoder.decode(chunk as Uint8Array, { stream: true });
    const cut = lastBreakOutsideQuotes(text);
    if (cut < 0) {
      carry = text;
      continue;
    }
    carry = text.slice(cut + 1);
    yield* rowsOf(text.slice(0, cut + 1));
  }
  carry += decoder.decode();
  if (carry.trim() !== '') {
    if (quoteCount(carry) % 2 === 1) {
      throw new DataFormatError(
        { file, row: row + 1 },
        'unterminated quoted field (the file ends inside quotes)',
        'close the quote, and write a quote inside a quoted field as ""',
      );
    }
    yield* rowsOf(carry);
  }
  if (!builder) return;
  const last = builder.flush();
  info.types = builder.columnTypes()!;
  if (last) yield last;
}

/** The index of the last line feed with an even number of quotes before it, or -1. */
function lastBreakOutsideQuotes(text: string): number {
  let quotes = 0;
  let last = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) quotes++;
    else if (c === 10 && (quotes & 1) === 0) last = i;
  }
  return last;
}

function quoteCount(text: string): number {
  let quotes = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 34) quotes++;
  return quotes;
}

function emptyIsNull(value: string): RawValue {
  return value === '' ? null : value;
}

function startBuilder(
  header: string[],
  file: string,
  hint: Readonly<Record<string, ColumnType>> | undefined,
  info: BatchStreamInfo,
): BatchBuilder {
  const names = header.map((name, index) => {
    const clean = index === 0 ? name.replace(/^\uFEFF/, '') : name;
    return clean === '' ? `column_${index + 1}` : clean;
  });
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate !== undefined) {
    throw new DataFormatError(
      { file, row: 0, column: duplicate },
      'the header names this column twice',
      'rename one of them',
    );
  }
  info.names = names;
  return new BatchBuilder(file, names, hint);
}

/** PapaParse's errors, restated with the file, row and column a user needs. */
function csvError(
  problem: Papa.ParseError,
  file: string,
  names: readonly string[],
  before: number,
): DataFormatError {
  // Papa counts rows within the piece; ours are data rows from 1.
  const row = before + (problem.row ?? 0);
  const where = { file, ...(row > 0 ? { row } : {}) };
  if (problem.code === 'MissingQuotes') {
    return new DataFormatError(
      where,
      'unterminated quoted field (the file ends inside quotes)',
      'close the quote, and write a quote inside a quoted field as ""',
    );
  }
  if (problem.code === 'InvalidQuotes') {
    return new DataFormatError(
      where,
      'unexpected text after a closing quote',
      'a closing quote must be followed by the delimiter or the end of the line',
    );
  }
  return new DataFormatError(
    where,
    problem.message,
    names.length > 0 ? 'check the row against the header' : 'check the header line',
  );
}
