import { Table } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import {
  columnType,
  columnTypes,
  columnValues,
  rowsOf,
  selectRows,
  tableFromRows,
  toBoolean,
  toNumber,
} from './table.js';

describe('tableFromRows / rowsOf', () => {
  it('infers Float64, Utf8 and Bool columns and round-trips nulls', () => {
    const rows = [
      { x: 1.5, name: 'a', ok: true },
      { x: null, name: null, ok: false },
      { x: 3, name: 'c', ok: null },
    ];
    const table = tableFromRows(rows);
    expect(table.schema.fields.map((f) => String(f.type))).toEqual(['Float64', 'Utf8', 'Bool']);
    expect(columnTypes(table)).toEqual({ x: 'numeric', name: 'categorical', ok: 'boolean' });
    expect(rowsOf(table)).toEqual(rows);
  });

  it('writes a column mixing numbers and strings as strings', () => {
    const table = tableFromRows([{ v: 1 }, { v: 'two' }]);
    expect(columnType(table, 'v')).toBe('categorical');
    expect(columnValues(table, 'v')).toEqual(['1', 'two']);
  });

  it('fills keys missing from some rows with null and honours the schema hint', () => {
    const table = tableFromRows([{ a: 1 }, { b: '2' }], { b: 'numeric', c: 'categorical' });
    expect(table.schema.fields.map((f) => f.name)).toEqual(['a', 'b', 'c']);
    expect(rowsOf(table)).toEqual([
      { a: 1, b: null, c: null },
      { a: null, b: 2, c: null },
    ]);
  });

  it('names the available columns when one is missing', () => {
    const table = tableFromRows([{ a: 1 }]);
    expect(() => columnValues(table, 'zz')).toThrow(/"zz" not found; the table has: a/);
  });
});

describe('selectRows', () => {
  it('keeps column types even when no row is selected', () => {
    const table = tableFromRows([
      { a: 1, b: 'x' },
      { a: 2, b: 'y' },
      { a: 3, b: 'z' },
    ]);
    expect(rowsOf(selectRows(table, [2, 0]))).toEqual([
      { a: 3, b: 'z' },
      { a: 1, b: 'x' },
    ]);
    const empty = selectRows(table, []);
    expect(empty.numRows).toBe(0);
    expect(columnTypes(empty)).toEqual({ a: 'numeric', b: 'categorical' });
  });
});

describe('selectRows of one record batch', () => {
  it('gathers the same cells as from a table of many chunks: nulls, NaN, sliced batches, long text', () => {
    const long = 'x'.repeat(100);
    const rows = Array.from({ length: 300 }, (_, i) => ({
      n: i % 7 === 0 ? null : i % 11 === 0 ? Number.NaN : i / 3,
      s: i % 5 === 0 ? null : i % 9 === 0 ? `${long}${i}` : `v${i % 4}`,
    }));
    const table = tableFromRows(rows, { n: 'numeric', s: 'categorical' });
    const indices = Array.from({ length: 120 }, (_, i) => (i * 37) % 250);
    const expected = indices.map((i) => ({ n: Number.isNaN(rows[i]!.n) ? null : rows[i]!.n, s: rows[i]!.s }));
    // One chunk (the batch path), a slice of it (offsets into the buffers), and many chunks.
    const sliced = table.slice(50);
    const slicedIndices = indices.filter((i) => i >= 50).map((i) => i - 50);
    expect(rowsOf(selectRows(table, indices))).toEqual(expected);
    expect(rowsOf(selectRows(sliced, slicedIndices))).toEqual(expected.filter((_, k) => indices[k]! >= 50));
    const chunked = new Table([...table.slice(0, 100).batches, ...table.slice(100).batches]);
    expect(rowsOf(selectRows(chunked, indices))).toEqual(expected);
  });
});

describe('cell coercion', () => {
  it('reads numbers and booleans from strings', () => {
    expect(toNumber('3.5')).toBe(3.5);
    expect(toNumber('abc')).toBeNull();
    expect(toNumber('')).toBeNull();
    expect(toNumber(Number.NaN)).toBeNull();
    expect(toBoolean('TRUE')).toBe(true);
    expect(toBoolean(0)).toBe(false);
    expect(toBoolean('maybe')).toBeNull();
  });
});
