import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Bool, Float64, Table, Utf8, vectorFromArray } from 'apache-arrow';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { ByteWriter, parquetWrite } from 'hyparquet-writer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDataset } from '../ingest.js';
import { rowsOf } from '../table.js';
import { writeParquet } from './parquet-write.js';

/**
 * The typed-array Parquet writer and page decoder against each other and against hyparquet (another
 * reader and writer): nulls across page and row-group boundaries that are not multiples of 8,
 * dictionary and plain strings, booleans, a sliced table, and files with encodings the fast path
 * leaves to hyparquet (data page v2, int64, delta). pyarrow reading Strata's files back equal is
 * checked by `pnpm bench tabular -- --parquet-big` (no Python in the test command).
 */
const ROWS = 150_001;

function sample(rows: number): Table {
  const number = Array.from({ length: rows }, (_, i) => (i % 13 === 0 ? null : i * 0.5 - 7));
  const dense = Array.from({ length: rows }, (_, i) => Math.sin(i));
  const flag = Array.from({ length: rows }, (_, i) => (i % 11 === 0 ? null : i % 3 === 0));
  const island = Array.from({ length: rows }, (_, i) =>
    i % 17 === 0 ? null : ['Biscoe', 'Dream', 'Torgersen, north'][i % 3]!,
  );
  const id = Array.from({ length: rows }, (_, i) => (i % 19 === 0 ? null : `id-${i}-${'x'.repeat(i % 40)}`));
  return new Table({
    number: vectorFromArray(number, new Float64()),
    dense: vectorFromArray(dense, new Float64()),
    flag: vectorFromArray(flag, new Bool()),
    island: vectorFromArray(island, new Utf8()),
    id: vectorFromArray(id, new Utf8()),
  });
}

describe('Parquet pages from and to Arrow buffers', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'strata-parquet-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const write = async (table: Table, name: string, rowGroupRows: number) => {
    const path = join(dir, name);
    const out = createWriteStream(path);
    await writeParquet(table, out, { rowGroupRows });
    await new Promise((resolve) => out.end(resolve));
    return path;
  };

  it('reads back what it wrote, and hyparquet reads the same rows', async () => {
    const table = sample(ROWS);
    // Row groups of 70,003 rows: page and group boundaries fall mid-byte of the validity bitmaps.
    const path = await write(table, 'all.parquet', 70_003);
    const back = await readDataset(path);
    const expected = rowsOf(table);
    expect(back.table.numRows).toBe(ROWS);
    expect(rowsOf(back.table)).toEqual(expected);

    const bytes = await readFile(path);
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    const metadata = parquetMetadata(buffer);
    expect(metadata.row_groups).toHaveLength(3);
    const encodings = (c: number) => metadata.row_groups[0]!.columns[c]!.meta_data!.encodings;
    expect(encodings(3)).toContain('RLE_DICTIONARY'); // island repeats: a dictionary
    expect(encodings(4)).not.toContain('RLE_DICTIONARY'); // ids do not
    const other = (await parquetReadObjects({ file: buffer })) as Record<string, unknown>[];
    expect(other).toHaveLength(ROWS);
    for (const i of [0, 1, 7, 8, 13, 65_535, 65_536, 70_002, 70_003, 140_007, ROWS - 1])
      expect(other[i], `row ${i}`).toEqual(expected[i]);
  });

  it('writes a slice of a table (Arrow buffers read from an offset)', async () => {
    const table = sample(20_000).slice(3_333, 17_001);
    const path = await write(table, 'slice.parquet', 4_099);
    expect(rowsOf((await readDataset(path)).table)).toEqual(rowsOf(table));
  });

  it('decodes files with encodings and types it leaves to hyparquet (data page v2, INT32/INT64, delta, plain booleans)', async () => {
    const rows = 3000;
    const writer = new ByteWriter();
    parquetWrite({
      writer,
      rowGroupSize: 1000,
      columnData: [
        { name: 'i32', data: Int32Array.from({ length: rows }, (_, i) => i - 1500), type: 'INT32' },
        {
          name: 'i64',
          data: BigInt64Array.from({ length: rows }, (_, i) => BigInt(i) * 3_000_000_000n),
          type: 'INT64',
        },
        {
          name: 'delta',
          data: Int32Array.from({ length: rows }, (_, i) => i * 7),
          type: 'INT32',
          encoding: 'DELTA_BINARY_PACKED',
        },
        {
          name: 'b',
          data: Array.from({ length: rows }, (_, i) => (i % 5 === 0 ? null : i % 2 === 0)),
          type: 'BOOLEAN',
        },
        {
          name: 's',
          data: Array.from({ length: rows }, (_, i) => (i % 7 === 0 ? null : `s${i % 5}`)),
          type: 'STRING',
        },
      ],
    });
    const path = join(dir, 'other.parquet');
    await import('node:fs/promises').then((fs) => fs.writeFile(path, new Uint8Array(writer.getBytes())));
    const rowsRead = rowsOf((await readDataset(path)).table);
    expect(rowsRead).toHaveLength(rows);
    for (const i of [0, 5, 7, 999, 1000, 1001, 2999]) {
      expect(rowsRead[i]).toEqual({
        i32: i - 1500,
        i64: i * 3_000_000_000,
        delta: i * 7,
        b: i % 5 === 0 ? null : i % 2 === 0,
        s: i % 7 === 0 ? null : `s${i % 5}`,
      });
    }
  });
});
