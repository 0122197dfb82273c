import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Table } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDataset } from '../data/ingest.js';
import { splitByHash } from '../data/split.js';
import { rowsOf, selectRows } from '../data/table.js';
import { ingest, ingestParams } from './ingest.js';

/** Rows over several record batches (65,536 rows each), the label missing on every 97th row. */
function csv(rows: number): string {
  const lines = ['label,island,x,y'];
  for (let i = 0; i < rows; i++) {
    const label = i % 97 === 0 ? '' : ['a', 'b', 'c'][i % 3];
    lines.push(`${label},${['p', 'q'][i % 2]},${(i * 7919) % 1000},${i % 13 === 0 ? '' : (i % 50) / 10}`);
  }
  return `${lines.join('\n')}\n`;
}

async function run(path: string, params: Record<string, unknown>) {
  const logged: unknown[] = [];
  const ctx = { log: (entry: unknown) => logged.push(entry), logger: { info: () => {} } };
  const out = (await ingest.spec.run(
    {
      data: { uri: path, path, fingerprint: { uri: path, scheme: 'file', digest: 'x', size: 0, count: 1 } },
    } as never,
    ingestParams.parse(params),
    ctx as never,
  )) as { train: Table; eval: Table; spans: { rows: number; sha256: string }[] };
  return { ...out, logged };
}

/** What the step did before it streamed: the whole table, filtered, limited, then split. */
async function reference(path: string, params: { columns?: string[]; require: string; limit: number }) {
  let { table } = await readDataset(path);
  if (params.columns) table = table.select(params.columns);
  const label = table.getChild(params.require)!;
  const keep: number[] = [];
  for (let i = 0; i < table.numRows; i++) if (label.get(i) !== null) keep.push(i);
  table = selectRows(table, keep);
  if (params.limit > 0 && table.numRows > params.limit)
    table = selectRows(
      table,
      Array.from({ length: params.limit }, (_, i) => i),
    );
  return splitByHash(table, { evalFraction: 0.3, seed: 0 });
}

describe('the ingest step', () => {
  let dir: string;
  let path: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'strata-ingest-step-'));
    path = join(dir, 'data.csv');
    await writeFile(path, csv(150_000));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('filters, limits and splits batch by batch into the same sides as the whole table', {
    timeout: 120_000,
  }, async () => {
    for (const limit of [0, 100_000]) {
      const params = { columns: ['label', 'x', 'y'], requireColumns: ['label'], evalFraction: 0.3, limit };
      const out = await run(path, params);
      const expected = await reference(path, { columns: params.columns, require: 'label', limit });
      expect(rowsOf(out.train)).toEqual(rowsOf(expected.train));
      expect(rowsOf(out.eval)).toEqual(rowsOf(expected.eval));
      expect(out.train.schema.fields.map((f) => f.name)).toEqual(['label', 'x', 'y']);
      // The file is read to its end whatever the limit: the span is the whole file's.
      expect(out.spans).toMatchObject([{ rows: 150_000 }]);
      expect(out.logged[0]).toMatchObject({ rows: out.train.numRows + out.eval.numRows });
    }
  });

  it('gives empty sides with the columns for a file without rows', async () => {
    const empty = join(dir, 'empty.csv');
    await writeFile(empty, 'label,x\n');
    const out = await run(empty, { requireColumns: ['label'] });
    expect(out.train.numRows + out.eval.numRows).toBe(0);
    expect(out.train.schema.fields.map((f) => f.name)).toEqual(['label', 'x']);
  });

  it('names a missing column, and the row of malformed data', async () => {
    await expect(run(path, { requireColumns: ['nope'] })).rejects.toMatchObject({
      code: 'invalid_param',
      field: 'requireColumns',
      value: 'nope',
    });
    const bad = join(dir, 'bad.csv');
    await writeFile(bad, `${csv(70_000)}a,p,1,2,3\n`);
    await expect(run(bad, {})).rejects.toMatchObject({ code: 'malformed_data', message: /row 70001/ });
  });

  it('reads only the selected columns: an unselected column changing type is no error, the spans are the same', {
    timeout: 120_000,
  }, async () => {
    // z is numeric for the first 65,536 rows, then text.
    const mixed = join(dir, 'mixed.csv');
    const lines = ['label,x,z'];
    for (let i = 1; i <= 80_100; i++)
      lines.push(`${['a', 'b'][i % 2]},${i % 10},${i > 80_000 ? `x${i}` : i}`);
    await writeFile(mixed, `${lines.join('\n')}\n`);
    const params = { columns: ['label', 'x'], requireColumns: ['label'], evalFraction: 0.3 };
    const out = await run(mixed, params);
    expect(out.train.numRows + out.eval.numRows).toBe(80_100);
    expect(out.train.schema.fields.map((f) => f.name)).toEqual(['label', 'x']);
    // Selected, z still fails, naming file, row and column, and the fix names this step's param.
    const failing = run(mixed, { ...params, columns: ['label', 'x', 'z'] });
    await expect(failing).rejects.toMatchObject({
      code: 'malformed_data',
      field: 'z',
      message: expect.stringMatching(
        /^ingest: mixed\.csv, row 80001, column "z": "x80001" is not a number.*; fix the value, or force the column's type with the ingest param columnTypes: \{ "z": "categorical" \}/,
      ),
    });
    await expect(failing).rejects.not.toMatchObject({ message: expect.stringContaining('schemaHint') });
    // A typo in columnTypes is named before the rows are read (not the type change it did not fix).
    await expect(
      run(mixed, { ...params, columns: ['label', 'x', 'z'], columnTypes: { zz: 'categorical' } }),
    ).rejects.toMatchObject({ code: 'invalid_param', field: 'columnTypes', value: 'zz' });
    // Following the fix reads the file.
    const forced = await run(mixed, {
      ...params,
      columns: ['label', 'x', 'z'],
      columnTypes: { z: 'categorical' },
    });
    expect(forced.train.schema.fields.map((f) => f.name)).toEqual(['label', 'x', 'z']);
    expect(forced.train.getChild('z')!.type.toString()).toBe('Utf8');
    // The spans (lineage, cache invalidation) are the whole file's whatever is selected.
    const all = await run(mixed, { columnTypes: { z: 'categorical' } });
    expect(out.spans).toEqual(all.spans);
    expect(forced.spans).toEqual(all.spans);
    expect(out.spans[0]!.sha256).toBe(
      createHash('sha256')
        .update(await readFile(mixed))
        .digest('hex'),
    );
  });

  it('names a selected column the file lacks with all of its columns, and refuses columnTypes for a column not read', async () => {
    await expect(run(path, { columns: ['label', 'nope'], requireColumns: ['label'] })).rejects.toMatchObject({
      code: 'invalid_param',
      field: 'columns',
      value: 'nope',
      fix: 'use one of: label, island, x, y',
    });
    await expect(run(path, { columns: ['label'], requireColumns: ['gone'] })).rejects.toMatchObject({
      code: 'invalid_param',
      field: 'requireColumns',
      value: 'gone',
    });
    await expect(
      run(path, { columns: ['label', 'x'], columnTypes: { island: 'categorical' } }),
    ).rejects.toMatchObject({
      code: 'invalid_param',
      field: 'columnTypes',
      value: 'island',
      fix: 'use one of: label, x (or add it to columns)',
    });
    expect(() => ingestParams.parse({ columnTypes: { x: 'text' } })).toThrow(/numeric.*categorical.*boolean/);
    const typed = await run(path, { columns: ['label', 'x'], columnTypes: { x: 'categorical' } });
    expect(typed.train.getChild('x')!.type.toString()).toBe('Utf8');
  });
});
