import { existsSync } from 'node:fs';
import { migrations as allMigrations } from './migrations/index.js';
import type { MigrationResult } from './migrator.js';
import { migrateSchema, schemaState } from './migrator.js';
import type { OpenDatabaseOptions } from './open-options.js';
import { connectionError } from './postgres/driver.js';
import { connectPostgres, openPostgresDatabase, type PostgresOpenOptions } from './postgres/open.js';
import { connectSqlite, openSqliteDatabase, type SqliteOpenOptions } from './sqlite/open.js';
import type { SqlStrataDatabase } from './strata-database.js';
import { parseDatabaseUrl, sqliteUrl } from './url.js';

export type DatabaseOptions = OpenDatabaseOptions & SqliteOpenOptions & PostgresOpenOptions;

/**
 * Opens the metadata database a URL names: `postgres://…` for PostgreSQL; `sqlite:/abs/path.db`, a
 * plain file path or `:memory:` for SQLite. The schema is migrated to the current version on open.
 */
export async function openDatabase(url: string, options: DatabaseOptions = {}): Promise<SqlStrataDatabase> {
  const location = parseDatabaseUrl(url);
  return location.kind === 'postgres'
    ? openPostgresDatabase(url, options)
    : openSqliteDatabase(location.path, options);
}

/** Connects without touching the schema, runs `work`, closes. */
async function withConnection<T>(
  url: string,
  options: DatabaseOptions,
  work: (store: SqlStrataDatabase) => Promise<T>,
): Promise<T> {
  const location = parseDatabaseUrl(url);
  const store =
    location.kind === 'postgres' ? connectPostgres(url, options) : connectSqlite(location.path, options);
  try {
    return await work(store);
  } catch (error) {
    throw location.kind === 'postgres' ? connectionError(error, store.url, location.connectionString) : error;
  } finally {
    await store.close();
  }
}

export interface MigrationStatus {
  /** The database, password redacted. */
  readonly url: string;
  readonly currentVersion: number;
  readonly latestVersion: number;
  /** `behind`: `migrate` would apply `pending`; `too_new`: this Strata is older than the database. */
  readonly state: 'up_to_date' | 'behind' | 'too_new';
  readonly pending: readonly { readonly version: number; readonly name: string }[];
}

/** For `strata migrate status`: where the schema stands, changing nothing (not even creating a file). */
export async function migrationStatus(url: string, options: DatabaseOptions = {}): Promise<MigrationStatus> {
  const location = parseDatabaseUrl(url);
  if (location.kind === 'sqlite' && location.path !== ':memory:' && !existsSync(location.path)) {
    const list = options.migrations ?? allMigrations;
    const pending = list.map((m) => ({ version: m.version, name: m.name }));
    return {
      url: sqliteUrl(location.path),
      currentVersion: 0,
      latestVersion: list.at(-1)?.version ?? 0,
      state: 'behind',
      pending,
    };
  }
  return withConnection(url, options, async (store) => {
    const { current, latest, pending } = await schemaState(
      store.context.db,
      store.context.traits,
      options.migrations,
    );
    const state = current > latest ? 'too_new' : pending.length > 0 ? 'behind' : 'up_to_date';
    return { url: store.url, currentVersion: current, latestVersion: latest, state, pending };
  });
}

/** For `strata migrate up`: applies the pending migrations (a no-op when up to date). */
export async function migrate(
  url: string,
  options: DatabaseOptions = {},
): Promise<MigrationResult & { url: string }> {
  return withConnection(url, options, async (store) => {
    const result = await migrateSchema(store.context.db, store.context.traits, store.url, options.migrations);
    return { url: store.url, ...result };
  });
}
