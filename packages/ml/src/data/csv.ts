import Papa from 'papaparse';
import type { Cell, Row } from './table.js';

/** A parsed field: `null` for an empty field (quoted or not), otherwise its text. */
export type CsvField = string | null;

export interface CsvOptions {
  /** Field separator, one character. Default `,`. */
  readonly delimiter?: string;
}

/**
 * Parse CSV text per RFC 4180 with PapaParse: fields may be quoted with `"`, a quote inside a
 * quoted field is written `""`, quoted fields may hold delimiters and line breaks, records end in
 * LF or CRLF. A leading byte-order mark is dropped and a final line break is optional. Empty fields
 * (quoted or not) are null, as in the streaming reader. Throws on an unterminated quote, text after
 * a closing quote, or a record whose field count differs from the first record's.
 */
export function parseCsvRecords(text: string, options: CsvOptions = {}): CsvField[][] {
  const delimiter = options.delimiter ?? ',';
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new Error(
      `CSV delimiter must be one character other than a quote or line break, got ${JSON.stringify(delimiter)}`,
    );
  }
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (input.length === 0) return [];
  const result = Papa.parse<string[]>(input, { delimiter, skipEmptyLines: true });
  const problem = result.errors[0];
  if (problem) {
    const record = (problem.row ?? 0) + 1;
    throw new Error(
      problem.code === 'MissingQuotes'
        ? `CSV: unterminated quoted field in record ${record}`
        : problem.code === 'InvalidQuotes'
          ? `CSV: unexpected text after a closing quote in record ${record}`
          : `CSV: ${problem.message} (record ${record})`,
    );
  }
  const records = result.data;
  const expected = records[0]?.length ?? 0;
  return records.map((record, index) => {
    if (record.length !== expected) {
      throw new Error(`CSV: record ${index + 1} has ${record.length} fields, the header has ${expected}`);
    }
    return record.map((field) => (field === '' ? null : field));
  });
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
