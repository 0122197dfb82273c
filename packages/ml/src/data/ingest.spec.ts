import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tableToIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRows, readDataset } from './ingest.js';
import { columnTypes, rowsOf, tableFromRows } from './table.js';

const penguinsCsv = fileURLToPath(new URL('../__fixtures__/penguins.csv', import.meta.url));

describe('readDataset', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'strata-ingest-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads the penguins CSV fixture with types, nulls and a span carrying the file hash', async () => {
    const { table, spans } = await readDataset(penguinsCsv);
    expect(table.numRows).toBe(344);
    expect(columnTypes(table)).toMatchObject({
      species: 'categorical',
      bill_length_mm: 'numeric',
      body_mass_g: 'numeric',
      sex: 'categorical',
    });
    expect(rowsOf(table)[0]).toEqual({
      species: 'Adelie',
      island: 'Torgersen',
      bill_length_mm: 39.1,
      bill_depth_mm: 18.7,
      flipper_length_mm: 181,
      body_mass_g: 3750,
      sex: 'MALE',
    });
    expect(table.getChild('bill_length_mm')!.nullCount).toBe(2);
    const bytes = await readFile(penguinsCsv);
    expect(spans).toEqual([
      {
        file: 'penguins.csv',
        format: 'csv',
        rows: 344,
        bytes: bytes.byteLength,
        sha256: createHash('sha256').update(bytes).digest('hex'),
      },
    ]);
  });

  it('reads a directory of csv, json, jsonl and arrow files in name order, ignoring other files', async () => {
    await writeFile(join(dir, 'b.json'), JSON.stringify([{ x: 2, y: 'b' }]));
    await writeFile(join(dir, 'a.csv'), 'x,y\n1,a\n');
    await writeFile(join(dir, 'c.jsonl'), '{"x":3,"y":"c"}\n\n{"x":null,"y":"d"}\n');
    await writeFile(join(dir, 'd.arrow'), tableToIPC(tableFromRows([{ x: 5, y: 'e' }]), 'file'));
    await writeFile(join(dir, 'notes.txt'), 'not data');
    const { table, spans } = await readDataset(dir);
    expect(spans.map((s) => [s.file, s.format, s.rows])).toEqual([
      ['a.csv', 'csv', 1],
      ['b.json', 'json', 1],
      ['c.jsonl', 'jsonl', 2],
      ['d.arrow', 'arrow', 1],
    ]);
    expect(rowsOf(table).map((r) => r.x)).toEqual([1, 2, 3, null, 5]);
    expect(columnTypes(table)).toEqual({ x: 'numeric', y: 'categorical' });
  });

  it('says which file and format failed', async () => {
    const bad = join(dir, 'bad.jsonl');
    await writeFile(bad, '{"x":1}\n[1,2]\n');
    await expect(readDataset(bad)).rejects.toThrow(/bad\.jsonl, row 2: is not a JSON object/);
    await expect(readDataset(join(dir, 'notes.txt'))).rejects.toThrow(/Cannot tell the format/);
  });
});

describe('parseRows', () => {
  it('keeps nested JSON values as text', () => {
    const rows = parseRows(new TextEncoder().encode('[{"a":{"b":1},"c":[1]}]'), 'json');
    expect(rows).toEqual([{ a: '{"b":1}', c: '[1]' }]);
  });
});
