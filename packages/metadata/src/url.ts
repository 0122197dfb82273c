import { resolve } from 'node:path';
import { StrataError } from '@strata/core';

export type DatabaseLocation =
  | { readonly kind: 'sqlite' /** An absolute path, or `:memory:`. */; readonly path: string }
  | {
      readonly kind: 'postgres';
      /** The URL to hand to `pg`, without Strata's own `schema` parameter. */
      readonly connectionString: string;
      /** PostgreSQL schema to keep the tables in (`?schema=name`); the server's search_path if unset. */
      readonly schema: string | undefined;
    };

const secretParams = ['password', 'sslpassword', 'sslkey'];
// Lowercase only: PostgreSQL folds the unquoted name in search_path to lowercase.
const schemaName = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Accepts `postgres://…` / `postgresql://…`, `sqlite:/abs/path.db` (or `sqlite:///abs/path.db`,
 * `sqlite:relative.db`), `sqlite::memory:` / `:memory:`, or a plain file path (resolved against the
 * working directory).
 */
export function parseDatabaseUrl(url: string): DatabaseLocation {
  if (url === '') {
    throw new StrataError('the metadata database URL is empty', {
      code: 'invalid_database_url',
      field: 'url',
      value: url,
      fix: 'give a file path, sqlite:/abs/path.db or postgres://user@host/db',
    });
  }
  if (/^postgres(ql)?:\/\//i.test(url)) return parsePostgres(url);
  if (url === ':memory:') return { kind: 'sqlite', path: ':memory:' };
  if (url.startsWith('sqlite:')) {
    let rest = url.slice('sqlite:'.length);
    if (rest.startsWith('//')) rest = rest.slice(2);
    if (rest === ':memory:') return { kind: 'sqlite', path: ':memory:' };
    if (rest === '') {
      throw new StrataError(`the metadata database URL ${url} has no file path`, {
        code: 'invalid_database_url',
        field: 'url',
        value: url,
        fix: 'write it as sqlite:/abs/path/strata.db',
      });
    }
    return { kind: 'sqlite', path: resolve(rest) };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    throw new StrataError(`unsupported metadata database URL ${redactUrl(url)}`, {
      code: 'invalid_database_url',
      field: 'url',
      value: redactUrl(url),
      fix: 'use a file path or sqlite:/abs/path.db (SQLite), or postgres://user@host:5432/db (PostgreSQL)',
    });
  }
  return { kind: 'sqlite', path: resolve(url) };
}

function parsePostgres(url: string): DatabaseLocation {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new StrataError(`the PostgreSQL URL ${redactUrl(url)} is not a valid URL`, {
      code: 'invalid_database_url',
      field: 'url',
      value: redactUrl(url),
      fix: 'write it as postgres://user:password@host:5432/database (percent-encode special characters)',
    });
  }
  const schema = parsed.searchParams.get('schema') ?? undefined;
  if (schema !== undefined && !schemaName.test(schema)) {
    throw new StrataError(
      `the PostgreSQL schema name "${schema}" in ${redactUrl(url)} is not a plain lowercase identifier`,
      {
        code: 'invalid_database_url',
        field: 'schema',
        value: schema,
        fix: 'use lowercase letters, digits and underscores, starting with a letter or underscore',
      },
    );
  }
  parsed.searchParams.delete('schema');
  return { kind: 'postgres', connectionString: parsed.toString(), schema };
}

/** The URL with its password (and any password-like query parameter) replaced by `***`. */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url.replace(/(\/\/[^/:@]*:)[^@/]*@/, '$1***@').replace(/(password=)[^&]*/gi, '$1***');
  }
  if (!parsed.host) return url;
  if (parsed.password) parsed.password = '***';
  for (const name of secretParams) if (parsed.searchParams.has(name)) parsed.searchParams.set(name, '***');
  return parsed.toString();
}

/** The URL a SQLite store reports as its identity. */
export function sqliteUrl(path: string): string {
  return path === ':memory:' ? 'sqlite::memory:' : `sqlite:${path}`;
}

/** The secrets inside a URL (password, password-like parameters), to scrub from driver error messages. */
export function urlSecrets(url: string): string[] {
  try {
    const parsed = new URL(url);
    const secrets = [parsed.password, decodeURIComponent(parsed.password)];
    for (const name of secretParams) secrets.push(parsed.searchParams.get(name) ?? '');
    return [...new Set(secrets.filter((s) => s.length > 0))];
  } catch {
    return [];
  }
}
