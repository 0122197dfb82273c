import { Table, Utf8, vectorFromArray } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { columnValues } from './table.js';
import { utf8Codes, utf8Counts } from './typed-columns.js';

describe('utf8Codes', () => {
  it('gives each row the code of its value, as the cells read, across chunks, slices and nulls', () => {
    // Many distinct values (the table grows and rehashes), empty strings, multi-byte text, nulls.
    const cells = Array.from({ length: 5000 }, (_, i) =>
      i % 11 === 0 ? null : i % 13 === 0 ? '' : i % 7 === 0 ? `é${i % 300}` : `v${(i * 7919) % 1500}`,
    );
    const whole = new Table({ c: vectorFromArray(cells, new Utf8()) });
    const chunked = new Table([
      ...whole.slice(0, 1234).batches,
      ...whole.slice(1234, 1235).batches,
      ...whole.slice(1235).batches,
    ]);
    for (const table of [whole, chunked]) {
      const { codes, values } = utf8Codes(table.getChild('c')!);
      const read = Array.from(codes, (code) => (code < 0 ? null : values[code]!));
      expect(read).toEqual(columnValues(table, 'c'));
      expect(new Set(values).size).toBe(values.length);
      // First-seen order.
      expect(values).toEqual([...new Set(cells.filter((c) => c !== null))]);
    }
  });

  it('counts rows per value and the missing ones', () => {
    const table = new Table({ c: vectorFromArray(['a', null, 'b', 'a', null, 'a'], new Utf8()) });
    const { counts, missing } = utf8Counts(table.getChild('c')!);
    expect([...counts]).toEqual([
      ['a', 3],
      ['b', 1],
    ]);
    expect(missing).toBe(2);
  });
});
