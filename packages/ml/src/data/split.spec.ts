import { Table } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { fixturePath } from '../__fixtures__/datasets.js';
import { readDataset } from './ingest.js';
import { localFile } from './read/data-file.js';
import { readBatches } from './read/read-batches.js';
import { splitBatches, splitByHash } from './split.js';
import { columnValues, rowsOf, tableFromRows } from './table.js';

const table = tableFromRows(
  Array.from({ length: 1000 }, (_, i) => ({
    id: `user-${i % 200}`,
    value: i,
    group: i % 3 === 0 ? 'a' : 'b',
  })),
);

describe('splitByHash', () => {
  it('is deterministic, disjoint, complete and close to the requested fraction', () => {
    const first = splitByHash(table, { evalFraction: 0.2 });
    const second = splitByHash(table, { evalFraction: 0.2 });
    expect(rowsOf(first.eval)).toEqual(rowsOf(second.eval));
    expect(first.train.numRows + first.eval.numRows).toBe(1000);
    const evalValues = new Set(columnValues(first.eval, 'value'));
    expect(columnValues(first.train, 'value').some((v) => evalValues.has(v))).toBe(false);
    expect(first.eval.numRows).toBeGreaterThan(150);
    expect(first.eval.numRows).toBeLessThan(250);
  });

  it('keeps every row of a key on the same side', () => {
    const { train, eval: evalTable } = splitByHash(table, { key: 'id', evalFraction: 0.3 });
    const evalIds = new Set(columnValues(evalTable, 'id'));
    expect(evalIds.size).toBeGreaterThan(0);
    expect(columnValues(train, 'id').some((id) => evalIds.has(id))).toBe(false);
    expect(evalTable.numRows).toBe(evalIds.size * 5);
  });

  it('changes with the seed and does not move old rows when rows are added', () => {
    const a = splitByHash(table, { evalFraction: 0.5, seed: 1 });
    const b = splitByHash(table, { evalFraction: 0.5, seed: 2 });
    expect(columnValues(a.eval, 'value')).not.toEqual(columnValues(b.eval, 'value'));

    const grown = tableFromRows([...rowsOf(table), { id: 'new', value: 5000, group: 'a' }]);
    const before = columnValues(a.eval, 'value');
    const after = columnValues(splitByHash(grown, { evalFraction: 0.5, seed: 1 }).eval, 'value');
    expect(after.filter((v) => v !== 5000)).toEqual(before);
  });

  it('handles the edge fractions and rejects bad ones', () => {
    expect(splitByHash(table, { evalFraction: 0 }).eval.numRows).toBe(0);
    expect(splitByHash(table, { evalFraction: 1 }).train.numRows).toBe(0);
    expect(() => splitByHash(table, { evalFraction: 1.5 })).toThrow(/between 0 and 1/);
  });
});

describe('splitByHash on a table of several record batches', () => {
  it('puts every row on the side the one-batch table puts it, in the same order', () => {
    const rows = Array.from({ length: 3000 }, (_, i) => ({
      id: i,
      name: i % 7 === 0 ? null : `n${i % 13}`,
      flag: i % 2 === 0,
      x: i % 11 === 0 ? null : i * 0.5,
    }));
    const whole = tableFromRows(rows);
    const batched = new Table(
      [0, 1000, 2000].map((from) => tableFromRows(rows.slice(from, from + 1000)).batches[0]!),
    );
    expect(batched.batches.length).toBe(3);
    const a = splitByHash(whole, { evalFraction: 0.3, seed: 3 });
    const b = splitByHash(batched, { evalFraction: 0.3, seed: 3 });
    expect(b.train.numRows).toBe(a.train.numRows);
    expect(rowsOf(b.train)).toEqual(rowsOf(a.train));
    expect(rowsOf(b.eval)).toEqual(rowsOf(a.eval));
    expect(b.train.schema.fields.map((f) => String(f.type))).toEqual(
      a.train.schema.fields.map((f) => String(f.type)),
    );
    const none = splitByHash(batched, { evalFraction: 0, seed: 3 });
    expect(none.eval.numRows).toBe(0);
    expect(none.eval.schema.fields.map((f) => f.name)).toEqual(['id', 'name', 'flag', 'x']);
  });
});

describe('splitBatches', () => {
  it('splits record batches as they come exactly as splitByHash splits their table', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => ({
      id: i,
      name: i % 7 === 0 ? null : `n${i % 13}`,
      x: i % 11 === 0 ? null : i * 0.5,
    }));
    const batches = [0, 1000, 2000].map((from) => tableFromRows(rows.slice(from, from + 1000)).batches[0]!);
    const whole = splitByHash(new Table(batches), { evalFraction: 0.3, seed: 3 });
    const streamed = await splitBatches(batches, { evalFraction: 0.3, seed: 3 });
    expect(streamed.rows).toBe(3000);
    expect(rowsOf(streamed.train)).toEqual(rowsOf(whole.train));
    expect(rowsOf(streamed.eval)).toEqual(rowsOf(whole.eval));
  });

  it('splits a file read with readBatches as splitByHash splits the table readDataset makes', async () => {
    const path = fixturePath('penguins.csv');
    const whole = splitByHash((await readDataset(path)).table, { evalFraction: 0.25, seed: 7 });
    const streamed = await splitBatches(readBatches(localFile(path), 'csv'), { evalFraction: 0.25, seed: 7 });
    expect(rowsOf(streamed.train)).toEqual(rowsOf(whole.train));
    expect(rowsOf(streamed.eval)).toEqual(rowsOf(whole.eval));
  });
});
