import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SqlStrataDatabase } from '../strata-database.js';
import { componentRecord } from '../testing/fixtures.js';
import { openSqliteDatabase } from './open.js';

const betterSqlite3 = createRequire(import.meta.url).resolve('better-sqlite3');

/**
 * Takes the write lock of `file` from another connection and writes one row; once `go()` is called it
 * keeps the lock `ms` longer, then commits.
 */
async function holdWriteLock(file: string, ms: number): Promise<{ go(): void; done: Promise<unknown> }> {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(
    `
    const { parentPort, workerData } = require('node:worker_threads');
    const Database = require(workerData.lib);
    const db = new Database(workerData.file);
    db.exec('begin immediate');
    db.prepare("insert into components values ('orchestrator', 'from-other-connection', 'local', null, 1, 1)").run();
    parentPort.postMessage('locked');
    Atomics.wait(workerData.flag, 0, 0);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, workerData.ms);
    db.exec('commit');
    db.close();
    parentPort.postMessage('released');
    `,
    { eval: true, workerData: { lib: betterSqlite3, file, ms, flag } },
  );
  await new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return {
    go: () => {
      Atomics.store(flag, 0, 1);
      Atomics.notify(flag, 0);
    },
    done: new Promise((resolve) => worker.once('exit', resolve)),
  };
}

describe('SQLite connection', () => {
  let dir: string;
  let db: SqlStrataDatabase;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'strata-sqlite-'));
    db = await openSqliteDatabase(join(dir, 'nested', 'strata.db'));
  });
  afterEach(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates the folder and reports a sqlite: url, not shared', () => {
    expect(db.url).toBe(`sqlite:${join(dir, 'nested', 'strata.db')}`);
    expect(db.shared).toBe(false);
    expect(db.dialect).toBe('sqlite');
  });

  it('runs in WAL mode with a busy timeout, synchronous=NORMAL and foreign keys', async () => {
    const { sql } = await import('kysely');
    const pragma = async (name: string) =>
      Object.values((await sql.raw(`pragma ${name}`).execute(db.context.db)).rows[0] as object)[0];
    expect(await pragma('journal_mode')).toBe('wal');
    expect(await pragma('busy_timeout')).toBe(10_000);
    expect(await pragma('synchronous')).toBe(1);
    expect(await pragma('foreign_keys')).toBe(1);
  });

  it('a write transaction that reads first waits for another writer instead of failing (BEGIN IMMEDIATE)', async () => {
    await db.createComponent(componentRecord('orchestrator', 'local'));
    const other = await holdWriteLock(db.url.slice('sqlite:'.length), 300);
    // createStack reads (duplicate check, component check) before it writes: with a deferred BEGIN the
    // upgrade to a write lock fails at once with "database is locked" while the other connection holds it.
    other.go();
    await db.createStack({ name: 'dev', components: { orchestrator: 'local' }, createdAt: 1, updatedAt: 1 });
    await other.done;
    expect((await db.listComponents()).map((c) => c.name)).toEqual(['from-other-connection', 'local']);
    expect(await db.getStack('dev')).toBeDefined();
  });

  it('serializes concurrent callers of one handle (one connection, transactions never interleave)', async () => {
    await Promise.all(
      Array.from({ length: 30 }, (_, i) => db.createComponent(componentRecord('orchestrator', `c${i}`))),
    );
    expect(await db.listComponents()).toHaveLength(30);
  });

  it('readNow: rows as arrays, the same SQL through Kysely still as objects; it waits for an open transaction', async () => {
    const { sql } = await import('kysely');
    await db.createComponent(componentRecord('orchestrator', 'local'));
    const text = 'select type, name from components order by name';
    const readNow = db.context.readNow!;
    expect(await readNow(text, [])).toEqual([['orchestrator', 'local']]);
    expect((await sql.raw(text).execute(db.context.db)).rows).toEqual([
      { type: 'orchestrator', name: 'local' },
    ]);
    expect(await readNow(text, [])).toEqual([['orchestrator', 'local']]);
    // Kysely's transaction holds the connection across its awaits: a read asked meanwhile runs after
    // the commit, as a Kysely query would, and never sees the transaction's rows half written.
    let read: Promise<unknown[][]> | undefined;
    await db.context.db.transaction().execute(async (trx) => {
      await sql`insert into components values ('artifact_store', 'a', 'local', null, 1, 1)`.execute(trx);
      read = readNow(text, []);
      await new Promise((resolve) => setTimeout(resolve, 20));
      await sql`insert into components values ('artifact_store', 'b', 'local', null, 1, 1)`.execute(trx);
    });
    expect(await read).toEqual([
      ['artifact_store', 'a'],
      ['artifact_store', 'b'],
      ['orchestrator', 'local'],
    ]);
  });
});
