import type { Cell, Row } from './table.js';

/** A parsed field: `null` for an unquoted empty field, otherwise its text (a quoted `""` is the empty string). */
export type CsvField = string | null;

export interface CsvOptions {
  /** Field separator, one character. Default `,`. */
  readonly delimiter?: string;
}

/**
 * Parse CSV text per RFC 4180: fields may be quoted with `"`, a quote inside a quoted field is
 * written `""`, quoted fields may hold delimiters and line breaks, records end in LF or CRLF.
 * A leading byte-order mark is dropped and a final line break is optional. Throws on an
 * unterminated quote or on a record whose field count differs from the first record's.
 */
export function parseCsvRecords(text: string, options: CsvOptions = {}): CsvField[][] {
  const delimiter = options.delimiter ?? ',';
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new Error(
      `CSV delimiter must be one character other than a quote or line break, got ${JSON.stringify(delimiter)}`,
    );
  }
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvField[][] = [];
  let record: CsvField[] = [];
  let i = 0;
  let line = 1;
  const n = input.length;
  if (n === 0) return records;

  while (i <= n) {
    // Start of a field.
    if (input[i] === '"') {
      const startLine = line;
      let value = '';
      i++;
      for (;;) {
        if (i >= n) throw new Error(`CSV: unterminated quoted field starting on line ${startLine}`);
        const ch = input[i]!;
        if (ch === '"') {
          if (input[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (ch === '\n') line++;
        value += ch;
        i++;
      }
      // After the closing quote only a delimiter, a line break or the end may follow.
      const next = input[i];
      if (next !== undefined && next !== delimiter && next !== '\n' && next !== '\r') {
        throw new Error(
          `CSV: unexpected character ${JSON.stringify(next)} after a closing quote on line ${line}`,
        );
      }
      record.push(value);
    } else {
      let end = i;
      while (end < n && input[end] !== delimiter && input[end] !== '\n' && input[end] !== '\r') end++;
      const value = input.slice(i, end);
      record.push(value === '' ? null : value);
      i = end;
    }
    // End of a field: a delimiter, a line break or the end of input.
    const ch = input[i];
    if (ch === delimiter) {
      i++;
      continue;
    }
    if (ch === '\r' && input[i + 1] === '\n') i += 2;
    else i++;
    pushRecord(records, record, line);
    record = [];
    line++;
    if (i >= n) break;
  }
  return records;
}

function pushRecord(records: CsvField[][], record: CsvField[], line: number): void {
  const expected = records[0]?.length;
  // A blank line (one empty field) in a file of several columns is skipped, not a short record.
  if (expected !== undefined && expected > 1 && record.length === 1 && record[0] === null) return;
  if (expected !== undefined && record.length !== expected) {
    throw new Error(`CSV: line ${line} has ${record.length} fields, the header has ${expected}`);
  }
  records.push(record);
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const LEADING_ZERO = /^[+-]?0\d/;
const BOOLEAN = /^(true|false)$/i;

/**
 * Parse CSV text with a header line into typed rows. A column is numeric when every non-empty
 * value is a decimal number (values with a leading zero such as "007" keep it a string column,
 * as they are usually codes), boolean when every non-empty value is true/false; otherwise the
 * values stay strings. Empty fields are null.
 */
export function parseCsv(text: string, options: CsvOptions = {}): Row[] {
  const [header, ...records] = parseCsvRecords(text, options);
  if (!header) return [];
  const names = header.map((name, index) => name ?? `column_${index + 1}`);
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate !== undefined) throw new Error(`CSV: the header names column "${duplicate}" twice`);
  const converters = names.map((_, c) => converterFor(records.map((record) => record[c] ?? null)));
  return records.map((record) => {
    const row: Row = {};
    names.forEach((name, c) => {
      row[name] = converters[c]!(record[c] ?? null);
    });
    return row;
  });
}

function converterFor(values: readonly CsvField[]): (value: CsvField) => Cell {
  const present = values.filter((value): value is string => value !== null && value !== '');
  if (present.length > 0 && present.every((v) => NUMBER.test(v) && !LEADING_ZERO.test(v))) {
    return (value) => (value === null || value === '' ? null : Number(value));
  }
  if (present.length > 0 && present.every((v) => BOOLEAN.test(v))) {
    return (value) => (value === null || value === '' ? null : value.toLowerCase() === 'true');
  }
  return (value) => value;
}
