import { mkdtemp, rm, writeFile } from 'node:fs/promises';
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
});
