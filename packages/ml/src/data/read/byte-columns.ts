import { isUtf8 } from 'node:buffer';
import { Float64, makeData, makeVector, type RecordBatch, Table, type Vector } from 'apache-arrow';
import type { ColumnType } from '../table.js';
import { utf8FromBuffers } from '../typed-columns.js';
import { BATCH_ROWS, type BatchBuilder, type RawValue, utf8Vector } from './batch-builder.js';
import { ESCAPED } from './csv-scan.js';

const QUOTE = 34;
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);
const decoder = new TextDecoder('utf-8');

/** A field's text (unescaping ""), for the rare values the byte paths leave to the string rules. */
export function fieldText(bytes: Uint8Array, start: number, end: number, flag: number): string {
  const text = decoder.decode(bytes.subarray(start, end));
  return flag === ESCAPED ? text.replaceAll('""', '"') : text;
}

/**
 * A plain decimal (`-12.5`, `3`, `.5`, `1.`) of at most 15 significant digits, parsed from the
 * bytes; NaN for anything else (exponents, leading zeros, long mantissas, text), which then takes
 * the string path. The mantissa is an exact integer below 2^53 and 10^k is exact for k <= 22, so
 * the one division is correctly rounded: the same double as `Number(text)`.
 */
export function parseDecimal(bytes: Uint8Array, start: number, end: number): number {
  let i = start;
  let negative = false;
  let c = bytes[i]!;
  if (c === 45) {
    negative = true;
    i++;
  } else if (c === 43) i++;
  const first = i;
  let mantissa = 0;
  let digits = 0;
  let fraction = 0;
  while (i < end) {
    c = bytes[i]!;
    if (c < 48 || c > 57) break;
    mantissa = mantissa * 10 + (c - 48);
    digits++;
    i++;
  }
  const whole = digits;
  if (i < end && bytes[i] === 46) {
    i++;
    while (i < end) {
      c = bytes[i]!;
      if (c < 48 || c > 57) break;
      mantissa = mantissa * 10 + (c - 48);
      digits++;
      fraction++;
      i++;
    }
  }
  if (i !== end || digits === 0 || digits > 15) return Number.NaN;
  // "007" is a code, not a number (the string rules keep it as text).
  if (whole > 1 && bytes[first] === 48) return Number.NaN;
  const value = fraction === 0 ? mantissa : mantissa / POW10[fraction]!;
  return negative ? -value : value;
}

interface NumericColumn {
  readonly kind: 'numeric';
  values: Float64Array;
  valid: Uint8Array;
  nulls: number;
}
interface TextColumn {
  readonly kind: 'categorical';
  offsets: Int32Array;
  data: Uint8Array<ArrayBuffer>;
  valid: Uint8Array;
  nulls: number;
}
interface RawColumn {
  readonly kind: 'boolean';
  values: RawValue[];
}
type Column = NumericColumn | TextColumn | RawColumn;

/**
 * Builds record batches from CSV field bytes once the column types are decided (by the first batch,
 * through BatchBuilder's rules). Numbers are parsed from the bytes and text is copied into the
 * Utf8 buffers as it is, so no string is created per cell; values outside the fast forms go through
 * `rules` (the same BatchBuilder) and so get the same results and errors as the string path.
 */
export class ByteBatchBuilder {
  private readonly columns: Column[];
  private rows = 0;

  constructor(
    private readonly rules: BatchBuilder,
    private readonly names: readonly string[],
    types: readonly ColumnType[],
    /** The data row number (from 1) of the first row this builder receives. */
    private firstRow: number,
    /** The record's field index of each column (all fields in order when every column is kept). */
    private readonly fields: Int32Array = Int32Array.from(names, (_, c) => c),
  ) {
    this.columns = types.map((type) => this.column(type));
  }

  /** Adds one record's fields; returns a batch when one is full. */
  push(bytes: Uint8Array, bounds: Int32Array): RecordBatch | undefined {
    const row = this.rows;
    const columns = this.columns;
    const fields = this.fields;
    for (let c = 0; c < columns.length; c++) {
      const f = 3 * fields[c]!;
      const start = bounds[f]!;
      const end = bounds[f + 1]!;
      const flag = bounds[f + 2]!;
      const column = columns[c]!;
      if (column.kind === 'numeric') {
        if (start === end) {
          column.nulls++;
          continue;
        }
        let value = parseDecimal(bytes, start, end);
        if (Number.isNaN(value)) {
          const n = this.slowNumber(c, fieldText(bytes, start, end, flag));
          if (n === null) {
            column.nulls++;
            continue;
          }
          value = n;
        }
        column.values[row] = value;
        column.valid[row >> 3]! |= 1 << (row & 7);
      } else if (column.kind === 'categorical') {
        let at = column.offsets[row]!;
        if (start === end) {
          column.nulls++;
          column.offsets[row + 1] = at;
          continue;
        }
        if (at + (end - start) > column.data.length) {
          const grown = new Uint8Array(Math.max(column.data.length * 2, at + (end - start)));
          grown.set(column.data.subarray(0, at));
          column.data = grown;
        }
        const data = column.data;
        if (flag === ESCAPED) {
          for (let i = start; i < end; i++) {
            data[at++] = bytes[i]!;
            if (bytes[i] === QUOTE) i++;
          }
        } else if (end - start < 32) {
          for (let i = start; i < end; i++) data[at++] = bytes[i]!;
        } else {
          data.set(bytes.subarray(start, end), at);
          at += end - start;
        }
        column.offsets[row + 1] = at;
        column.valid[row >> 3]! |= 1 << (row & 7);
      } else {
        column.values.push(start === end ? null : fieldText(bytes, start, end, flag));
      }
    }
    this.rows++;
    return this.rows >= BATCH_ROWS ? this.flush() : undefined;
  }

  /** The rows added since the last batch as a batch (undefined when there are none). */
  flush(): RecordBatch | undefined {
    const n = this.rows;
    if (n === 0) return undefined;
    const vectors: Record<string, Vector> = {};
    this.columns.forEach((column, c) => {
      const name = this.names[c]!;
      vectors[name] = this.vector(name, column, n);
    });
    this.firstRow += n;
    this.rows = 0;
    this.columns.forEach((column, c) => {
      // The text bytes were copied out: keep the buffer at the width it grew to.
      this.columns[c] = this.column(column.kind, column.kind === 'categorical' ? column.data : undefined);
    });
    return new Table(vectors).batches[0]!;
  }

  private vector(name: string, column: Column, n: number): Vector {
    switch (column.kind) {
      case 'numeric':
        return makeVector(
          makeData({
            type: new Float64(),
            length: n,
            nullCount: column.nulls,
            data: column.values.subarray(0, n),
            nullBitmap: column.nulls > 0 ? column.valid.subarray(0, (n + 7) >> 3) : null,
          }),
        );
      case 'categorical': {
        const end = column.offsets[n]!;
        const data = column.data.subarray(0, end);
        if (!isUtf8(data)) {
          // Invalid UTF-8 in the file: decode each cell as the string path would (U+FFFD).
          const texts: RawValue[] = [];
          for (let i = 0; i < n; i++) {
            const present = (column.valid[i >> 3]! >> (i & 7)) & 1;
            texts.push(
              present ? decoder.decode(data.subarray(column.offsets[i]!, column.offsets[i + 1]!)) : null,
            );
          }
          return utf8Vector(texts);
        }
        return utf8FromBuffers(
          n,
          column.nulls,
          column.offsets.subarray(0, n + 1),
          data.slice(),
          column.valid.subarray(0, (n + 7) >> 3),
        );
      }
      case 'boolean':
        return this.rules.vector(name, 'boolean', column.values, this.firstRow);
    }
  }

  /** A numeric cell outside the fast forms, by BatchBuilder's rules (a type change throws). */
  private slowNumber(c: number, text: string): number | null {
    const name = this.names[c]!;
    const one = this.rules.vector(name, 'numeric', [text], this.firstRow + this.rows);
    return one.get(0) as number | null;
  }

  private column(type: ColumnType, data = new Uint8Array(1 << 16)): Column {
    const valid = new Uint8Array((BATCH_ROWS + 7) >> 3);
    switch (type) {
      case 'numeric':
        return { kind: 'numeric', values: new Float64Array(BATCH_ROWS), valid, nulls: 0 };
      case 'categorical':
        return {
          kind: 'categorical',
          offsets: new Int32Array(BATCH_ROWS + 1),
          data,
          valid,
          nulls: 0,
        };
      case 'boolean':
        return { kind: 'boolean', values: [] };
    }
  }
}
