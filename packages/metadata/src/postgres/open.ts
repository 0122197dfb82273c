import { StrataError } from '@strata/core';
import { type OpenDatabaseOptions, prepareSchema } from '../open-options.js';
import type { Schema } from '../schema/tables.js';
import { SqlStrataDatabase } from '../strata-database.js';
import { parseDatabaseUrl, redactUrl } from '../url.js';
import { Kysely } from '../vendor/kysely.js';
import { connectionError, createPostgresDialect } from './driver.js';
import { postgresTraits } from './traits.js';

export interface PostgresOpenOptions extends OpenDatabaseOptions {
  /** Connections per process (default 10). */
  readonly poolSize?: number;
}

/** A store over a `pg` pool; nothing connects until the first query. */
export function connectPostgres(url: string, options: PostgresOpenOptions = {}): SqlStrataDatabase {
  const location = parseDatabaseUrl(url);
  const redacted = redactUrl(url);
  if (location.kind !== 'postgres') {
    throw new StrataError(`openPostgresDatabase needs a postgres:// URL, got ${redacted}`, {
      code: 'invalid_database_url',
      field: 'url',
      value: redacted,
      fix: 'write it as postgres://user:password@host:5432/database, or use openDatabase(url)',
    });
  }
  const { dialect, pool } = createPostgresDialect({
    connectionString: location.connectionString,
    schema: location.schema,
    ...(options.poolSize === undefined ? {} : { poolSize: options.poolSize }),
  });
  const db = new Kysely<Schema>({ dialect });
  return new SqlStrataDatabase({
    db,
    traits: postgresTraits(location.schema),
    url: redacted,
    shared: true,
    listenForChanges: async (onChange) => {
      // One pooled connection held for LISTEN until the returned stop() releases it.
      const client = await (await pool()).connect();
      const handler = () => onChange();
      // A dropped connection must not crash the server: the feed's timer keeps polling meanwhile.
      client.on('error', () => {});
      client.on('notification', handler);
      await client.query('listen strata_changes');
      return async () => {
        client.off('notification', handler);
        try {
          await client.query('unlisten strata_changes');
        } finally {
          client.release();
        }
      };
    },
  });
}

/**
 * The team metadata store on PostgreSQL, migrated to the current schema. The password comes from the
 * URL or PGPASSWORD and appears neither in `url` nor in error messages. `?schema=name` keeps the
 * tables in their own schema (created on first use).
 */
export async function openPostgresDatabase(
  url: string,
  options: PostgresOpenOptions = {},
): Promise<SqlStrataDatabase> {
  const store = connectPostgres(url, options);
  try {
    await prepareSchema(store, options);
  } catch (error) {
    throw connectionError(error, store.url, parseConnectionString(url));
  }
  return store;
}

function parseConnectionString(url: string): string {
  const location = parseDatabaseUrl(url);
  return location.kind === 'postgres' ? location.connectionString : url;
}
