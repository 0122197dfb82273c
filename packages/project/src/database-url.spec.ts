import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { configuredDatabaseUrl, resolveDatabaseUrl } from './database-url.js';
import { projectConfigSchema } from './project-config.js';
import { SecretStore } from './secrets.js';

const config = (raw: Record<string, unknown> = {}) => projectConfigSchema.parse(raw);

describe('the project metadata database URL', () => {
  const dirs: string[] = [];
  const project = () => {
    const root = mkdtempSync(join(tmpdir(), 'strata-dburl-'));
    dirs.push(root);
    return { root, secrets: new SecretStore(join(root, '.strata', 'secrets')) };
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('defaults to .strata/strata.db; STRATA_DATABASE_URL wins over the config', () => {
    expect(configuredDatabaseUrl('/p', config(), {})).toBe('/p/.strata/strata.db');
    expect(configuredDatabaseUrl('/p', config({ databaseUrl: 'postgres://u@h/db' }), {})).toBe(
      'postgres://u@h/db',
    );
    expect(
      configuredDatabaseUrl('/p', config({ databaseUrl: 'postgres://u@h/db' }), {
        STRATA_DATABASE_URL: 'postgres://other@h/db',
      }),
    ).toBe('postgres://other@h/db');
  });

  it('reads a relative SQLite path in the config against the project root', () => {
    expect(configuredDatabaseUrl('/p', config({ databaseUrl: 'data/meta.db' }), {})).toBe('/p/data/meta.db');
    expect(configuredDatabaseUrl('/p', config({ databaseUrl: 'sqlite:data/meta.db' }), {})).toBe(
      'sqlite:/p/data/meta.db',
    );
    expect(configuredDatabaseUrl('/p', config({ databaseUrl: 'sqlite:/abs/meta.db' }), {})).toBe(
      'sqlite:/abs/meta.db',
    );
  });

  it('fills {{secret.NAME.KEY}} into the URL, percent-encoded, in memory only', async () => {
    const { root, secrets } = project();
    await secrets.set('db', { password: 'p@ss:w/rd', url: 'postgres://team:x@db.internal/strata' });
    const url = await resolveDatabaseUrl(
      root,
      config({ databaseUrl: 'postgres://team:{{secret.db.password}}@db.internal:5432/strata' }),
      secrets,
      {},
    );
    expect(url).toBe('postgres://team:p%40ss%3Aw%2Frd@db.internal:5432/strata');
    expect(decodeURIComponent(new URL(url).password)).toBe('p@ss:w/rd');
    // A reference that is the whole URL is used as is.
    expect(await resolveDatabaseUrl(root, config({ databaseUrl: '{{secret.db.url}}' }), secrets, {})).toBe(
      'postgres://team:x@db.internal/strata',
    );
  });

  it('sets the password from databasePasswordSecret when the URL has none', async () => {
    const { root, secrets } = project();
    await secrets.set('db', { password: 's3cret' });
    const settings = {
      databaseUrl: 'postgres://team@db.internal/strata',
      databasePasswordSecret: 'db.password',
    };
    expect(await resolveDatabaseUrl(root, config(settings), secrets, {})).toBe(
      'postgres://team:s3cret@db.internal/strata',
    );
    expect(() => config({ databasePasswordSecret: 'no-key' })).toThrow(/NAME\.KEY/);
  });

  it('names a missing secret without printing anything secret', async () => {
    const { root, secrets } = project();
    const error = await resolveDatabaseUrl(
      root,
      config({ databaseUrl: 'postgres://team:{{secret.db.password}}@h/strata' }),
      secrets,
      {},
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'unknown_secret', field: 'databaseUrl', value: 'db.password' });
    expect((error as { fix: string }).fix).toContain('strata secret set db password=');
  });

  it('refuses a plain password stored in .strata/config.json, without echoing it', async () => {
    const { root, secrets } = project();
    const error = await resolveDatabaseUrl(
      root,
      config({ databaseUrl: 'postgres://team:hunter2@h/strata' }),
      secrets,
      {},
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'invalid_project_config', field: 'databaseUrl' });
    expect(JSON.stringify(error)).not.toContain('hunter2');
    expect(`${(error as Error).message} ${(error as { fix: string }).fix}`).not.toContain('hunter2');
    // From the environment, a password is fine (it is never written anywhere).
    expect(
      await resolveDatabaseUrl(root, config(), secrets, {
        STRATA_DATABASE_URL: 'postgres://team:hunter2@h/s',
      }),
    ).toBe('postgres://team:hunter2@h/s');
  });
});
