import type { Vector } from 'apache-arrow';
import {
  Bool,
  Float64,
  makeData,
  makeVector,
  type RecordBatch,
  Table,
  Utf8,
  vectorFromArray,
} from 'apache-arrow';
import type { ColumnType } from '../table.js';
import { utf8FromBuffers } from '../typed-columns.js';
import { DataFormatError } from './data-error.js';

/** A raw value as a reader sees it: CSV text (null for an empty field) or a JSON scalar. */
export type RawValue = string | number | boolean | null;

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const LEADING_ZERO = /^[+-]?0\d/;
const BOOLEAN = /^(true|false)$/i;

/** Rows per record batch, and the rows read before column types are decided. */
export const BATCH_ROWS = 65_536;

/**
 * Turns rows of raw values into Arrow record batches of BATCH_ROWS rows. Column types come from
 * `hint`, else from the first batch (numeric when every present value is a number - CSV text counts
 * when it is a decimal without a leading zero -, boolean when every one is true/false, otherwise
 * text), the same rules as reading the whole file when it fits in one batch. A later value that
 * does not fit its column's type is an error naming the file, row and column: a column must not
 * change type mid-file.
 */
export class BatchBuilder {
  private types: ColumnType[] | undefined;
  private pending: RawValue[][];
  private rowsInBatch = 0;
  private firstRow = 1;

  constructor(
    readonly file: string,
    readonly names: readonly string[],
    private readonly hint: Readonly<Record<string, ColumnType>> = {},
    /** Whether string values may be parsed as numbers/booleans (CSV), or are text as given (JSON). */
    private readonly textInput = true,
  ) {
    this.pending = names.map(() => []);
  }

  /** Adds one row (values in `names` order); returns a batch when one is full. */
  push(values: readonly RawValue[]): RecordBatch | undefined {
    for (let c = 0; c < this.names.length; c++) this.pending[c]!.push(values[c] ?? null);
    this.rowsInBatch++;
    return this.rowsInBatch >= BATCH_ROWS ? this.flush() : undefined;
  }

  /** The rows added since the last batch as a batch (undefined when there are none). */
  flush(): RecordBatch | undefined {
    this.types ??= this.names.map((name, c) => this.hint[name] ?? this.infer(this.pending[c]!));
    if (this.rowsInBatch === 0) return undefined;
    const vectors: Record<string, Vector> = {};
    this.names.forEach((name, c) => {
      vectors[name] = this.vector(name, this.types![c]!, this.pending[c]!);
    });
    const batch = new Table(vectors).batches[0]!;
    this.firstRow += this.rowsInBatch;
    this.pending = this.names.map(() => []);
    this.rowsInBatch = 0;
    return batch;
  }

  /** The column types, once the first batch decided them. */
  columnTypes(): Record<string, ColumnType> | undefined {
    return this.types && Object.fromEntries(this.names.map((n, c) => [n, this.types![c]!]));
  }

  private infer(values: readonly RawValue[]): ColumnType {
    let numbers = 0;
    let booleans = 0;
    let present = 0;
    for (const v of values) {
      if (v === null || v === '') continue;
      present++;
      if (typeof v === 'number' || (this.textInput && typeof v === 'string' && isNumberText(v))) numbers++;
      else if (typeof v === 'boolean' || (this.textInput && typeof v === 'string' && BOOLEAN.test(v)))
        booleans++;
      else return 'categorical';
    }
    if (present === 0) return 'categorical';
    if (numbers === present) return 'numeric';
    if (booleans === present) return 'boolean';
    return 'categorical';
  }

  /**
   * One column of a batch from raw values, by this builder's rules; `firstRow` numbers the values
   * in errors (the next batch's first row unless given).
   */
  vector(name: string, type: ColumnType, values: readonly RawValue[], firstRow = this.firstRow): Vector {
    const hinted = this.hint[name] !== undefined;
    switch (type) {
      case 'numeric': {
        const out = new Float64Array(values.length);
        const valid = new Uint8Array((values.length + 7) >> 3);
        let nulls = 0;
        for (let i = 0; i < values.length; i++) {
          const v = values[i]!;
          let n: number | null;
          if (v === null || v === '') n = null;
          else if (typeof v === 'number') n = Number.isFinite(v) ? v : null;
          else if (typeof v === 'string' && (this.textInput || hinted) && isNumberText(v)) n = Number(v);
          else if (hinted) n = typeof v === 'boolean' ? Number(v) : null;
          else throw this.typeChange(name, firstRow + i, v, 'numeric');
          if (n === null) nulls++;
          else {
            out[i] = n;
            valid[i >> 3]! |= 1 << (i & 7);
          }
        }
        return makeVector(
          makeData({
            type: new Float64(),
            length: values.length,
            nullCount: nulls,
            data: out,
            nullBitmap: nulls > 0 ? valid : null,
          }),
        );
      }
      case 'boolean':
        return vectorFromArray(
          values.map((v, i) => {
            if (v === null || v === '') return null;
            if (typeof v === 'boolean') return v;
            if (typeof v === 'string' && this.textInput && BOOLEAN.test(v)) return v.toLowerCase() === 'true';
            if (hinted) return v === 1 || v === '1' ? true : v === 0 || v === '0' ? false : null;
            throw this.typeChange(name, firstRow + i, v, 'boolean');
          }),
          new Bool(),
        );
      case 'categorical':
        return utf8Vector(values);
    }
  }

  typeChange(name: string, row: number, value: RawValue, type: ColumnType): DataFormatError {
    return new DataFormatError(
      { file: this.file, row, column: name },
      `${JSON.stringify(value)} is not ${type === 'numeric' ? 'a number' : 'true/false'}, but the column was read as ${type} from its first ${BATCH_ROWS} rows (its type changed mid-file)`,
      `fix the value, or force the column's type with schemaHint { "${name}": "categorical" }`,
      name,
    );
  }
}

const encoder = new TextEncoder();

/**
 * A Utf8 vector written straight into its offsets and bytes. Categorical columns repeat a few
 * values, so each distinct string is encoded once (Arrow's generic builder encodes every cell).
 */
export function utf8Vector(values: readonly RawValue[]): Vector {
  const n = values.length;
  const offsets = new Int32Array(n + 1);
  const valid = new Uint8Array((n + 7) >> 3);
  const cache = new Map<string, Uint8Array>();
  const encoded: (Uint8Array | null)[] = new Array(n);
  let bytes = 0;
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null || v === undefined) {
      encoded[i] = null;
      nulls++;
      continue;
    }
    const text = typeof v === 'string' ? v : String(v);
    let e = cache.get(text);
    if (!e) {
      e = encoder.encode(text);
      if (cache.size < 100_000) cache.set(text, e);
    }
    encoded[i] = e;
    bytes += e.length;
  }
  const data = new Uint8Array(bytes);
  let at = 0;
  for (let i = 0; i < n; i++) {
    const e = encoded[i];
    if (e) {
      data.set(e, at);
      at += e.length;
      valid[i >> 3]! |= 1 << (i & 7);
    }
    offsets[i + 1] = at;
  }
  return utf8FromBuffers(n, nulls, offsets, data, valid);
}

export function isNumberText(v: string): boolean {
  return NUMBER.test(v) && !LEADING_ZERO.test(v);
}

/** An empty table with the columns of the given types (a file with a header and no rows). */
export function emptyTable(names: readonly string[], types: Readonly<Record<string, ColumnType>>): Table {
  const vectors: Record<string, Vector> = {};
  for (const name of names) {
    const type =
      types[name] === 'numeric' ? new Float64() : types[name] === 'boolean' ? new Bool() : new Utf8();
    vectors[name] = vectorFromArray([], type as never);
  }
  return new Table(vectors);
}
