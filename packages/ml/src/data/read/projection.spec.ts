import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableToIPC } from 'apache-arrow';
import { ByteWriter, parquetWrite } from 'hyparquet-writer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDataset } from '../ingest.js';
import { columnTypes, rowsOf, tableFromRows } from '../table.js';
import { BATCH_ROWS } from './batch-builder.js';
import { localFile } from './data-file.js';
import { type ReadInfo, readBatches } from './read-batches.js';

const ROWS = 3000;

/**
 * A Parquet file whose columns Strata cannot hold between ones it can: a list of strings ("tags",
 * a nested column of its own leaf chunk, so the chunks after it shift) and a TIMESTAMP ("when").
 * Small row groups, so a read spans several.
 */
function awkwardParquet(): Uint8Array {
  const label = Array.from({ length: ROWS }, (_, i) => ['a', 'b', 'c'][i % 3]!);
  const tags = Array.from({ length: ROWS }, (_, i) => (i % 4 === 0 ? [] : ['t', `u${i % 5}`]));
  const x = Float64Array.from({ length: ROWS }, (_, i) => i / 2);
  const when = Array.from({ length: ROWS }, (_, i) => new Date(i * 1000));
  const y = Array.from({ length: ROWS }, (_, i) => (i % 7 === 0 ? null : i % 11));
  const writer = new ByteWriter();
  parquetWrite({
    writer,
    rowGroupSize: 1000,
    columnData: [
      { name: 'label', data: label },
      { name: 'tags', data: tags },
      { name: 'x', data: x },
      { name: 'when', data: when },
      { name: 'y', data: y },
    ],
    schema: [
      { name: 'root', num_children: 5 },
      { name: 'label', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
      { name: 'tags', repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
      { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
      { name: 'element', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
      { name: 'x', type: 'DOUBLE', repetition_type: 'REQUIRED' },
      {
        name: 'when',
        type: 'INT64',
        converted_type: 'TIMESTAMP_MILLIS',
        repetition_type: 'OPTIONAL',
      },
      { name: 'y', type: 'DOUBLE', repetition_type: 'OPTIONAL' },
    ],
  });
  return new Uint8Array(writer.getBuffer());
}

/** A CSV whose column `z` is numeric for the first batch and text from row `late` on. */
function mixedCsv(rows: number, late: number): string {
  const lines = ['label,x,z'];
  for (let i = 1; i <= rows; i++)
    lines.push(`${['a', 'b'][i % 2]},${i % 13 === 0 ? '' : i / 4},${i >= late ? `x${i}` : i}`);
  return `${lines.join('\n')}\n`;
}

async function read(
  path: string,
  format: 'csv' | 'parquet' | 'json' | 'jsonl' | 'arrow',
  columns?: string[],
) {
  const info: ReadInfo = { names: [], types: {}, rows: 0, bytes: 0, sha256: '' };
  const batches = [];
  for await (const batch of readBatches(localFile(path), format, columns ? { columns } : {}, info))
    batches.push(batch);
  return { batches, info };
}

describe('reading only the selected columns', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'strata-projection-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('Parquet: skips unselected nested and TIMESTAMP columns, decodes the rest equal, hashes the whole file', async () => {
    const path = join(dir, 'nested.parquet');
    await writeFile(path, awkwardParquet());
    // Unprojected, the first unsupported column is refused, naming file, row group and column.
    await expect(readDataset(path)).rejects.toThrow(
      /nested\.parquet, row group 0, column "tags": a nested type \(list, map or struct\) is not supported/,
    );
    // Selecting the unsupported column keeps the error.
    await expect(readDataset(path, { columns: ['x', 'when'] })).rejects.toThrow(
      /nested\.parquet, row group 0, column "when": the TIMESTAMP_MILLIS type is not supported/,
    );
    const { table, spans } = await readDataset(path, { columns: ['y', 'label', 'x'] });
    // The file's order, the selected columns only, every row group.
    expect(table.schema.fields.map((f) => f.name)).toEqual(['label', 'x', 'y']);
    expect(columnTypes(table)).toEqual({ label: 'categorical', x: 'numeric', y: 'numeric' });
    expect(table.numRows).toBe(ROWS);
    const rows = rowsOf(table);
    for (const i of [0, 7, 999, 1000, 2999])
      expect(rows[i]).toEqual({ label: ['a', 'b', 'c'][i % 3], x: i / 2, y: i % 7 === 0 ? null : i % 11 });
    // The span is the whole file's, as sha256sum sees it.
    const { createHash } = await import('node:crypto');
    const { readFile } = await import('node:fs/promises');
    const bytes = await readFile(path);
    expect(spans[0]).toMatchObject({
      rows: ROWS,
      bytes: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    });
    // info.names lists all of the file's columns; a missing selected one names them.
    const { info } = await read(path, 'parquet', ['x']);
    expect(info.names).toEqual(['label', 'tags', 'x', 'when', 'y']);
    await expect(readDataset(path, { columns: ['x', 'nope'] })).rejects.toThrow(
      /nested\.parquet, column "nope": no such column; select one of its columns: label, tags, x, when, y/,
    );
  });

  it('CSV: an unselected column changing type mid-file is ignored; a selected one still fails; the span is unchanged', async () => {
    const late = BATCH_ROWS + 500;
    const path = join(dir, 'mixed.csv');
    await writeFile(path, mixedCsv(BATCH_ROWS + 1000, late));
    await expect(readDataset(path)).rejects.toThrow(
      new RegExp(`mixed\\.csv, row ${late}, column "z": "x${late}" is not a number`),
    );
    const projected = await readDataset(path, { columns: ['x', 'label'] });
    expect(projected.table.schema.fields.map((f) => f.name)).toEqual(['label', 'x']);
    expect(projected.table.numRows).toBe(BATCH_ROWS + 1000);
    // Equal to the whole read of the same columns (forcing z to text so the whole read succeeds).
    const whole = await readDataset(path, { schemaHint: { z: 'categorical' } });
    expect(rowsOf(projected.table)).toEqual(rowsOf(whole.table.select(['label', 'x'])));
    expect(projected.spans).toEqual(whole.spans);
    // Selecting z keeps the error, naming file, row and column.
    await expect(readDataset(path, { columns: ['z'] })).rejects.toThrow(
      new RegExp(`mixed\\.csv, row ${late}, column "z": "x${late}" is not a number`),
    );
    // Rows are still split whole: a ragged row is an error though its missing field is unselected.
    await writeFile(join(dir, 'ragged.csv'), 'a,b,c\n1,2,3\n4,5\n');
    await expect(readDataset(join(dir, 'ragged.csv'), { columns: ['a'] })).rejects.toThrow(
      /ragged\.csv, row 2, column "c": row 2 has 2 fields, the header has 3/,
    );
    await expect(readDataset(path, { columns: ['label', 'w'] })).rejects.toThrow(
      /mixed\.csv, column "w": no such column; select one of its columns: label, x, z/,
    );
  });

  it('JSON, JSON Lines and Arrow IPC: the selected columns only, other keys ignored', async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => ({ a: i, b: `s${i % 3}`, c: i % 2 === 0 }));
    // A key first seen late, and a value of another type, both in unselected columns.
    const lines = rows.map((r, i) => JSON.stringify(i === 4500 ? { ...r, extra: 1, c: 'maybe' } : r));
    await writeFile(join(dir, 'k.jsonl'), lines.join('\n'));
    await expect(readDataset(join(dir, 'k.jsonl'))).rejects.toThrow(/k\.jsonl, row 4501, column "extra"/);
    const jsonl = await readDataset(join(dir, 'k.jsonl'), { columns: ['b', 'a'] });
    expect(rowsOf(jsonl.table)).toEqual(rows.map(({ a, b }) => ({ a, b })));
    await writeFile(join(dir, 'r.json'), JSON.stringify(rows));
    const json = await readDataset(join(dir, 'r.json'), { columns: ['c'] });
    expect(rowsOf(json.table)).toEqual(rows.map(({ c }) => ({ c })));
    await writeFile(join(dir, 'r.arrow'), tableToIPC(tableFromRows(rows), 'stream'));
    const arrow = await readDataset(join(dir, 'r.arrow'), { columns: ['c', 'a'] });
    expect(arrow.table.schema.fields.map((f) => f.name)).toEqual(['a', 'c']);
    expect(rowsOf(arrow.table)).toEqual(rows.map(({ a, c }) => ({ a, c })));
    await expect(readDataset(join(dir, 'r.arrow'), { columns: ['q'] })).rejects.toThrow(
      /r\.arrow, column "q": no such column; select one of its columns: a, b, c/,
    );
  });
});
