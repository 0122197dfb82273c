import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { currentSchemaVersion } from './migrations/index.js';
import { migrationStatus, openDatabase } from './open-database.js';
import { openPostgresDatabase } from './postgres/open.js';
import { openSqliteDatabase } from './sqlite/open.js';

describe('openDatabase', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-open-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('opens an in-memory SQLite database for tests', async () => {
    const db = await openDatabase(':memory:');
    try {
      expect(db.url).toBe('sqlite::memory:');
      expect(db.dialect).toBe('sqlite');
      expect(await db.listRuns()).toEqual([]);
    } finally {
      await db.close();
      await db.close();
    }
  });

  it('opens a plain file path and a sqlite: URL as the same database', async () => {
    const file = join(tempDir(), 'strata.db');
    const a = await openDatabase(file);
    await a.createComponent({
      type: 'orchestrator',
      name: 'local',
      flavor: 'local',
      config: null,
      createdAt: 1,
      updatedAt: 1,
    });
    await a.close();
    const b = await openDatabase(`sqlite:${file}`);
    expect(b.url).toBe(`sqlite:${file}`);
    expect(await b.listComponents()).toHaveLength(1);
    await b.close();
  });

  it('reports the status of a missing file without creating it', async () => {
    const file = join(tempDir(), 'missing', 'strata.db');
    expect(await migrationStatus(file)).toMatchObject({
      currentVersion: 0,
      latestVersion: currentSchemaVersion,
      state: 'behind',
    });
    expect(existsSync(file)).toBe(false);
  });

  it('refuses the wrong kind of URL for a dialect-specific opener', async () => {
    await expect(openSqliteDatabase('postgres://u:pw@h/db')).rejects.toMatchObject({
      code: 'invalid_database_url',
    });
    await expect(openPostgresDatabase('/tmp/x.db')).rejects.toMatchObject({ code: 'invalid_database_url' });
    await expect(openDatabase('mysql://u@h/db')).rejects.toMatchObject({ code: 'invalid_database_url' });
  });
});
