import { StrataError } from '@strata/core';
import type pg from 'pg';
import { errorCode } from '../sql-traits.js';
import { urlSecrets } from '../url.js';
import type { Dialect } from '../vendor/kysely.js';
import { PostgresDialect } from '../vendor/kysely.js';

export interface PostgresPoolOptions {
  readonly connectionString: string;
  readonly schema: string | undefined;
  /** Connections per process (default 10). */
  readonly poolSize?: number;
}

/**
 * Kysely's PostgreSQL dialect over a `pg` pool; the password stays inside the pool's config. `pg` is
 * imported when the first query needs a connection, so a SQLite project never loads it.
 */
export function createPostgresDialect(options: PostgresPoolOptions): {
  dialect: Dialect;
  pool: () => Promise<pg.Pool>;
} {
  let pool: Promise<pg.Pool> | undefined;
  const getPool = () => {
    pool ??= import('pg').then(({ default: pgModule }) => createPool(pgModule, options));
    return pool;
  };
  return { dialect: new PostgresDialect({ pool: getPool }), pool: getPool };
}

function createPool(pgModule: typeof pg, options: PostgresPoolOptions): pg.Pool {
  const int8 = pgModule.types.builtins.INT8;
  // `bigint` columns hold epoch milliseconds and sizes (< 2^53): read them as numbers, not strings.
  const types: pg.CustomTypesConfig = {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
      oid === int8
        ? Number
        : pgModule.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
  };
  const pool = new pgModule.Pool({
    connectionString: options.connectionString,
    max: options.poolSize ?? 10,
    types,
    ...(options.schema === undefined ? {} : { options: `-c search_path=${options.schema}` }),
  });
  // An idle connection dropped by the server must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  return pool;
}

const connectionCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  '28P01', // invalid_password
  '28000', // invalid_authorization_specification
  '3D000', // invalid_catalog_name (no such database)
  '57P03', // cannot_connect_now
]);

/** Replaces every password the URL or PGPASSWORD carries with `***`. */
export function scrubSecrets(text: string, connectionString: string): string {
  const secrets = urlSecrets(connectionString);
  if (process.env.PGPASSWORD) secrets.push(process.env.PGPASSWORD);
  let out = text;
  for (const secret of secrets) out = out.split(secret).join('***');
  return out;
}

/**
 * Turns a failure to reach the server into a StrataError that names the (redacted) URL and the fix;
 * other errors pass through with any password scrubbed from their message.
 */
export function connectionError(error: unknown, redactedUrl: string, connectionString: string): unknown {
  if (error instanceof StrataError || !(error instanceof Error)) return error;
  const message = scrubSecrets(
    error.message || String(errorCode(error) ?? 'connection failed'),
    connectionString,
  );
  const code = errorCode(error);
  if (code !== undefined && connectionCodes.has(code)) {
    return new StrataError(`cannot connect to the PostgreSQL metadata database ${redactedUrl}: ${message}`, {
      code: 'database_unreachable',
      field: 'url',
      value: redactedUrl,
      fix: 'check that the server runs and that the host, database, user and password (in the URL or PGPASSWORD) are right; for local tests run `bash scripts/services/postgres.sh`',
    });
  }
  if (message !== error.message) error.message = message;
  return error;
}
