import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SnapshotRecord } from '@strata/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteDatabase } from '../sqlite/open.js';
import type { SqlStrataDatabase } from '../strata-database.js';
import { snapshotBody } from '../testing/fixtures.js';

describe('snapshots read back by the process that saved them', () => {
  let dir: string;
  let writer: SqlStrataDatabase;
  let reader: SqlStrataDatabase;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'strata-snapshots-'));
    writer = await openSqliteDatabase(join(dir, 'db.sqlite'));
    // A second connection has saved nothing: it always checks the stored body against the schema.
    reader = await openSqliteDatabase(join(dir, 'db.sqlite'));
  });
  afterEach(async () => {
    await writer.close();
    await reader.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const record = (id: string, overrides: Parameters<typeof snapshotBody>[2] = {}): SnapshotRecord => ({
    id,
    pipelineName: 'train',
    createdAt: 5,
    body: snapshotBody(id, ['a', 'b'], {
      overrides: { a: { params: { lr: 0.1 }, cache: { enabled: false } } },
      ...overrides,
    }),
  });

  it('is the same document as a checked read', async () => {
    const snapshot = record('snap-1', { runName: 'r-{id}' });
    await writer.saveSnapshot(snapshot);
    const fast = await writer.getSnapshot('snap-1');
    const checked = await reader.getSnapshot('snap-1');
    // (Key order may differ: the schema check writes known keys in the schema's order.)
    expect(fast).toStrictEqual(checked);
    expect(fast).toEqual(snapshot);
    // Each read is a fresh object: a caller changing it changes nobody else's copy.
    expect(await writer.getSnapshot('snap-1')).not.toBe(fast);
  });

  it('returns the stored row, not the one it tried to save, when the id was already there', async () => {
    await reader.saveSnapshot(record('snap-2'));
    await writer.saveSnapshot({ ...record('snap-2', { module: 'other.ts' }), createdAt: 9 });
    expect(await writer.getSnapshot('snap-2')).toEqual(record('snap-2'));
  });

  it('still refuses a row changed outside Strata after it was saved here', async () => {
    await writer.saveSnapshot(record('snap-3'));
    await writer.context.db
      .updateTable('snapshots')
      .set({ body: JSON.stringify({ id: 'snap-3', nodes: 'not a list' }) })
      .where('id', '=', 'snap-3')
      .execute();
    await expect(writer.getSnapshot('snap-3')).rejects.toMatchObject({ code: 'record_corrupt' });
  });
});
