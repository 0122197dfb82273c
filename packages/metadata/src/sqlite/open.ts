import { mkdirSync, statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { StrataError } from '@strata/core';
import Database from 'better-sqlite3';
import { type OpenDatabaseOptions, prepareSchema } from '../open-options.js';
import type { Schema } from '../schema/tables.js';
import { SqlStrataDatabase } from '../strata-database.js';
import { parseDatabaseUrl, sqliteUrl } from '../url.js';
import { Kysely } from '../vendor/kysely.js';
import { StrataSqliteDialect } from './driver.js';
import { sqliteTraits } from './traits.js';

export interface SqliteOpenOptions extends OpenDatabaseOptions {
  /** How long a write waits for another process's write lock before failing (default 10 s). */
  readonly busyTimeoutMs?: number;
}

/** Below this much free space an open that failed is blamed on the full disk (a WAL file needs pages). */
const FULL_DISK_BYTES = 1024 * 1024;

function freeBytes(dir: string): number | undefined {
  try {
    const stats = statfsSync(dir);
    return stats.bavail * stats.bsize;
  } catch {
    return undefined;
  }
}

function resolvePath(pathOrUrl: string): string {
  const location = parseDatabaseUrl(pathOrUrl);
  if (location.kind !== 'sqlite') {
    throw new StrataError(`openSqliteDatabase was given a ${location.kind} URL`, {
      code: 'invalid_database_url',
      field: 'path',
      value: pathOrUrl.replace(/:[^:@/]*@/, ':***@'),
      fix: 'pass a file path or sqlite:/abs/path.db, or use openDatabase(url) to pick the dialect from the URL',
    });
  }
  return location.path;
}

/** Opens the file (creating it and its folder) with the pragmas several writer processes need. */
export function connectSqlite(pathOrUrl: string, options: SqliteOpenOptions = {}): SqlStrataDatabase {
  const path = resolvePath(pathOrUrl);
  const busyTimeoutMs = options.busyTimeoutMs ?? busyTimeoutFromEnvironment() ?? 10_000;
  let sqlite: Database.Database;
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    sqlite = new Database(path, { timeout: busyTimeoutMs });
    sqlite.pragma(`busy_timeout = ${busyTimeoutMs}`);
    // WAL: readers never block the writer and the writer never blocks readers. Switching modes needs a
    // moment of exclusive access; busy_timeout (set first) makes a concurrent opener wait for it.
    if (path !== ':memory:') sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    // Checkpoint every 8,192 pages (32 MiB of WAL) instead of every 1,000: a checkpoint syncs the WAL
    // and the database file, and at the ~17 pages a step writes it ran every ~60 steps. After a
    // checkpoint the WAL file is cut back to 32 MiB. (Durability is unchanged: it is synchronous's.)
    sqlite.pragma('wal_autocheckpoint = 8192');
    sqlite.pragma('journal_size_limit = 33554432');
    sqlite.pragma('foreign_keys = ON');
    // Statement journals in memory. Every write with a trigger or a foreign key (each statement of a
    // step's completion) keeps one; past 64 KiB in a transaction SQLite spilled it to a temp file in
    // /var/tmp and then wrote each page a statement touched there too: about half the write syscalls
    // of a run of short steps. Sorts (ORDER BY without an index) also stay in memory: a query's rows
    // are read into memory anyway (statement.all), so its sort holds no more than its result.
    sqlite.pragma('temp_store = MEMORY');
  } catch (error) {
    const free = path === ':memory:' ? undefined : freeBytes(dirname(path));
    if (free !== undefined && free < FULL_DISK_BYTES) {
      // Opening in WAL mode creates the -wal and -shm files: on a full disk SQLite reports only
      // "disk I/O error", which reads like corruption; say what it is, so nobody deletes a good store.
      throw new StrataError(
        `cannot open the SQLite metadata database ${sqliteUrl(path)}: the disk holding ${dirname(path)} is full (${free} bytes free)`,
        {
          code: 'database_unreachable',
          field: 'url',
          value: sqliteUrl(path),
          fix: `free space on that disk (df -h ${dirname(path)}), then run the command again; the database file was not changed`,
          cause: error,
        },
      );
    }
    throw new StrataError(
      `cannot open the SQLite metadata database ${sqliteUrl(path)}: ${(error as Error).message}`,
      {
        code: 'database_unreachable',
        field: 'url',
        value: sqliteUrl(path),
        fix: 'check that the folder is writable and the file is a Strata SQLite database (or remove a corrupt one)',
        cause: error,
      },
    );
  }
  const dialect = new StrataSqliteDialect(sqlite);
  const db = new Kysely<Schema>({ dialect });
  return new SqlStrataDatabase({
    db,
    traits: sqliteTraits,
    url: sqliteUrl(path),
    shared: false,
    writeNow: dialect.writeNow,
    readNow: dialect.readNow,
  });
}

/** The embedded metadata store: a SQLite file (or `:memory:`), migrated to the current schema. */
export async function openSqliteDatabase(
  pathOrUrl: string,
  options: SqliteOpenOptions = {},
): Promise<SqlStrataDatabase> {
  const store = connectSqlite(pathOrUrl, options);
  await prepareSchema(store, options);
  return store;
}

/**
 * STRATA_DB_BUSY_TIMEOUT_MS: how long a command waits for another process's write lock before it
 * gives up with "the metadata database is locked" (default 10 s).
 */
function busyTimeoutFromEnvironment(): number | undefined {
  const raw = process.env.STRATA_DB_BUSY_TIMEOUT_MS;
  if (raw === undefined || raw === '') return undefined;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms < 0 || ms > 600_000) {
    throw new StrataError(
      `STRATA_DB_BUSY_TIMEOUT_MS must be a whole number of milliseconds from 0 to 600000, got "${raw}"`,
      {
        code: 'invalid_env',
        field: 'STRATA_DB_BUSY_TIMEOUT_MS',
        value: raw,
        fix: 'unset it (10000 ms) or give e.g. 30000',
      },
    );
  }
  return ms;
}
