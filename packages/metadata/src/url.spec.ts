import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDatabaseUrl, redactUrl, sqliteUrl } from './url.js';

describe('parseDatabaseUrl', () => {
  it('reads SQLite paths and URLs', () => {
    expect(parseDatabaseUrl('sqlite:/abs/strata.db')).toEqual({ kind: 'sqlite', path: '/abs/strata.db' });
    expect(parseDatabaseUrl('sqlite:///abs/strata.db')).toEqual({ kind: 'sqlite', path: '/abs/strata.db' });
    expect(parseDatabaseUrl('sqlite:rel/strata.db')).toEqual({
      kind: 'sqlite',
      path: resolve('rel/strata.db'),
    });
    expect(parseDatabaseUrl('/abs/x.db')).toEqual({ kind: 'sqlite', path: '/abs/x.db' });
    expect(parseDatabaseUrl('.strata/strata.db')).toEqual({
      kind: 'sqlite',
      path: resolve('.strata/strata.db'),
    });
    expect(parseDatabaseUrl(':memory:')).toEqual({ kind: 'sqlite', path: ':memory:' });
    expect(parseDatabaseUrl('sqlite::memory:')).toEqual({ kind: 'sqlite', path: ':memory:' });
  });

  it('reads PostgreSQL URLs, taking Strata’s schema parameter out', () => {
    expect(parseDatabaseUrl('postgres://u:p@h:5432/db')).toEqual({
      kind: 'postgres',
      connectionString: 'postgres://u:p@h:5432/db',
      schema: undefined,
    });
    expect(parseDatabaseUrl('postgresql://u@h/db?schema=team_a&sslmode=require')).toEqual({
      kind: 'postgres',
      connectionString: 'postgresql://u@h/db?sslmode=require',
      schema: 'team_a',
    });
  });

  it('refuses unsupported or malformed URLs without echoing a password', () => {
    expect(() => parseDatabaseUrl('')).toThrow(expect.objectContaining({ code: 'invalid_database_url' }));
    expect(() => parseDatabaseUrl('sqlite:')).toThrow(
      expect.objectContaining({ code: 'invalid_database_url' }),
    );
    let error: unknown;
    try {
      parseDatabaseUrl('mysql://root:hunter2@h/db');
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'invalid_database_url' });
    expect((error as Error).message).not.toContain('hunter2');
    expect(() => parseDatabaseUrl('postgres://u:p@h/db?schema=Team')).toThrow(
      expect.objectContaining({ code: 'invalid_database_url', field: 'schema' }),
    );
    expect(() => parseDatabaseUrl('postgres://u:p@h/db?schema=a;drop')).toThrow(
      expect.objectContaining({ code: 'invalid_database_url', field: 'schema' }),
    );
  });
});

describe('redactUrl', () => {
  it('hides passwords in the userinfo and in parameters', () => {
    expect(redactUrl('postgres://strata:s3cret@127.0.0.1:5432/strata')).toBe(
      'postgres://strata:***@127.0.0.1:5432/strata',
    );
    expect(redactUrl('postgres://strata:p%40ss@h/db')).toBe('postgres://strata:***@h/db');
    expect(redactUrl('postgres://h/db?user=u&password=pw')).toBe('postgres://h/db?user=u&password=***');
    expect(redactUrl('postgres://strata@h/db')).toBe('postgres://strata@h/db');
  });

  it('leaves SQLite URLs and paths alone', () => {
    expect(redactUrl('sqlite:/abs/strata.db')).toBe('sqlite:/abs/strata.db');
    expect(redactUrl('/abs/strata.db')).toBe('/abs/strata.db');
    expect(sqliteUrl('/abs/strata.db')).toBe('sqlite:/abs/strata.db');
    expect(sqliteUrl(':memory:')).toBe('sqlite::memory:');
  });

  it('redacts even a URL it cannot parse', () => {
    expect(redactUrl('postgres://u:pw@[bad/db')).toBe('postgres://u:***@[bad/db');
  });
});
