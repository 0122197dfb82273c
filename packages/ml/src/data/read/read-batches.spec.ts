import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ByteWriter, parquetWrite } from 'hyparquet-writer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../csv.js';
import { readDataset } from '../ingest.js';
import { columnTypes, rowsOf, tableFromRows } from '../table.js';
import { BATCH_ROWS } from './batch-builder.js';
import { localFile } from './data-file.js';
import { writeParquet } from './parquet-write.js';
import { readBatches } from './read-batches.js';

const ISLANDS = ['Biscoe', 'Dream', 'Torgersen', 'Dream, "north"'];

/** A penguins-like CSV of `rows` rows with quoted fields, embedded commas and quotes, nulls and CRLF. */
function csvText(rows: number): string {
  const lines = ['island,bill,mass,adult,note'];
  for (let i = 0; i < rows; i++) {
    const island = ISLANDS[i % 4]!;
    const bill = i % 97 === 0 ? '' : (30 + ((i * 7919) % 300) / 10).toFixed(1);
    const mass = String(3000 + ((i * 104729) % 3000));
    const adult = i % 3 === 0 ? 'true' : 'FALSE';
    const note = i % 50 === 0 ? '"two\nlines"' : i % 51 === 0 ? '""' : `n${i % 7}`;
    lines.push(`"${island.replaceAll('"', '""')}",${bill},${mass},${adult},${note}`);
  }
  return `${lines.join('\r\n')}\r\n`;
}

describe('streaming ingest', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'strata-read-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('gives the same table as parsing the whole CSV text, across several batches', async () => {
    const rows = 2 * BATCH_ROWS + 1234;
    const text = csvText(rows);
    const path = join(dir, 'p.csv');
    await writeFile(path, text);
    const sizes: number[] = [];
    for await (const batch of readBatches(localFile(path), 'csv')) sizes.push(batch.numRows);
    expect(sizes).toEqual([BATCH_ROWS, BATCH_ROWS, 1234]);
    const { table, spans } = await readDataset(path);
    const whole = tableFromRows(parseCsv(text));
    expect(columnTypes(table)).toEqual(columnTypes(whole));
    expect(columnTypes(table)).toEqual({
      island: 'categorical',
      bill: 'numeric',
      mass: 'numeric',
      adult: 'boolean',
      note: 'categorical',
    });
    expect(rowsOf(table)).toEqual(rowsOf(whole));
    expect(spans[0]).toMatchObject({ rows, bytes: Buffer.byteLength(text) });
  });

  it('reads JSON Lines like the same rows as a JSON array, and Parquet written from the table back equal', async () => {
    const rows = rowsOf(tableFromRows(parseCsv(csvText(5000))));
    await writeFile(join(dir, 'r.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n'));
    await writeFile(join(dir, 'r.json'), JSON.stringify(rows));
    const lines = await readDataset(join(dir, 'r.jsonl'));
    const array = await readDataset(join(dir, 'r.json'));
    expect(rowsOf(lines.table)).toEqual(rows);
    expect(rowsOf(array.table)).toEqual(rows);

    const path = join(dir, 'r.parquet');
    const out = createWriteStream(path);
    await writeParquet(lines.table, out, { rowGroupRows: 1500 });
    await new Promise((resolve) => out.end(resolve));
    const parquet = await readDataset(path);
    expect(parquet.spans[0]).toMatchObject({ format: 'parquet', rows: 5000 });
    expect(columnTypes(parquet.table)).toEqual(columnTypes(lines.table));
    expect(rowsOf(parquet.table)).toEqual(rows);
  });

  it('names the file, row and column of a ragged row, an unterminated quote and a type change mid-file', async () => {
    await writeFile(join(dir, 'ragged.csv'), 'a,b\n1,2\n3\n');
    await expect(readDataset(join(dir, 'ragged.csv'))).rejects.toThrow(
      /ragged\.csv, row 2, column "b": row 2 has 1 fields, the header has 2/,
    );
    await writeFile(join(dir, 'quote.csv'), 'a,b\n1,"2\n3,4\n');
    await expect(readDataset(join(dir, 'quote.csv'))).rejects.toThrow(
      /quote\.csv, row 1, column "b": unterminated quoted field/,
    );
    const late = BATCH_ROWS + 10;
    const values = Array.from({ length: BATCH_ROWS + 20 }, (_, i) => (i + 1 === late ? 'n/a' : String(i)));
    await writeFile(join(dir, 'drift.csv'), `id,v\n${values.map((v, i) => `${i},${v}`).join('\n')}\n`);
    await expect(readDataset(join(dir, 'drift.csv'))).rejects.toThrow(
      new RegExp(`drift\\.csv, row ${late}, column "v": "n/a" is not a number.*schemaHint`),
    );
    // The hint the message suggests makes the same file readable.
    const hinted = await readDataset(join(dir, 'drift.csv'), { schemaHint: { v: 'categorical' } });
    expect(hinted.table.getChild('v')!.get(late - 1)).toBe('n/a');
  });

  it('refuses a Parquet column of an unsupported type, naming file, row group and column', async () => {
    const writer = new ByteWriter();
    parquetWrite({
      writer,
      columnData: [
        { name: 'x', data: Float64Array.from([1, 2]), type: 'DOUBLE' },
        { name: 'when', data: [new Date(0), new Date(1)], type: 'TIMESTAMP' },
      ],
    });
    await writeFile(join(dir, 'ts.parquet'), writer.getBytes());
    await expect(readDataset(join(dir, 'ts.parquet'))).rejects.toThrow(
      /ts\.parquet, row group 0, column "when": the TIMESTAMP\w* type is not supported/,
    );
  });

  it('refuses a JSON Lines key that the first rows did not have', async () => {
    const lines = Array.from({ length: 5000 }, (_, i) =>
      JSON.stringify(i === 4500 ? { a: i, extra: 1 } : { a: i }),
    );
    await writeFile(join(dir, 'k.jsonl'), lines.join('\n'));
    await expect(readDataset(join(dir, 'k.jsonl'))).rejects.toThrow(/k\.jsonl, row 4501, column "extra"/);
  });
});
