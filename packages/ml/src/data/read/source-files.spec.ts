import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { SourceObject } from '@strata/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasDataExtension, readDataset } from '../ingest.js';
import { rowsOf } from '../table.js';
import { writeParquet } from './parquet-write.js';
import { sourceFiles } from './source-files.js';

/** A SourceObject over bytes, as an integration's reader returns them (the readers' own int specs run against the emulators). */
function objectOf(name: string, bytes: Uint8Array): SourceObject & { ranges: number } {
  const object = {
    uri: `s3://bucket/data/${name}`,
    name,
    size: bytes.length,
    version: 'etag:"1"',
    ranges: 0,
    read: async (start: number, end: number) => {
      object.ranges++;
      return bytes.slice(start, end);
    },
    stream: () => Readable.from([bytes.subarray(0, 7), bytes.subarray(7)]),
  };
  return object;
}

describe("ingest through a source's objects", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'strata-source-files-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads CSV by stream and Parquet by ranges into the same table as the local files, skipping other names', async () => {
    const csv = 'island,mass\nDream,3400\nBiscoe,\nTorgersen,3800\n';
    await writeFile(join(dir, 'a.csv'), csv);
    const local = await readDataset(join(dir, 'a.csv'));
    const out = createWriteStream(join(dir, 'b.parquet'));
    await writeParquet(local.table, out);
    await new Promise((resolve) => out.end(resolve));
    const parquet = objectOf('b.parquet', new Uint8Array(await readFile(join(dir, 'b.parquet'))));
    const files = sourceFiles(
      [objectOf('a.csv', new TextEncoder().encode(csv)), parquet, objectOf('_SUCCESS', new Uint8Array(0))],
      hasDataExtension,
    );
    expect(files.map((f) => f.name)).toEqual(['s3://bucket/data/a.csv', 's3://bucket/data/b.parquet']);
    const both = await readDataset(files);
    expect(rowsOf(both.table)).toEqual([...rowsOf(local.table), ...rowsOf(local.table)]);
    expect(both.spans.map((s) => s.sha256)).toEqual([
      local.spans[0]!.sha256,
      expect.stringMatching(/^[0-9a-f]{64}$/),
    ]);
    expect(parquet.ranges).toBeGreaterThan(0);
  });
});
