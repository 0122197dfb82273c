import { copyFileSync, existsSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StrataError } from '@strata/core';
import { afterEach, describe, expect, it } from 'vitest';
import { initProject } from './init-project.js';
import { openProject } from './open-project.js';

describe('a project remembers its metadata store', () => {
  const dirs: string[] = [];
  const project = async () => {
    const root = mkdtempSync(join(tmpdir(), 'strata-storeid-'));
    dirs.push(root);
    await initProject(root);
    return root;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const refusal = async (root: string) => {
    const error = await openProject({ cwd: root }).then(
      async (p) => {
        await p.close();
        return undefined;
      },
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StrataError);
    return error as StrataError;
  };

  it('records the store id at the first open and opens the same store again', async () => {
    const root = await project();
    expect(existsSync(join(root, '.strata', 'stores.json'))).toBe(true);
    const again = await openProject({ cwd: root });
    expect((await again.database.listStacks()).map((s) => s.name)).toContain('default');
    await again.close();
  });

  it('refuses a database truncated to 0 bytes, and creates nothing', async () => {
    const root = await project();
    const db = join(root, '.strata', 'strata.db');
    truncateSync(db, 0);
    const error = await refusal(root);
    expect(error.code).toBe('store_missing');
    expect(error.message).toContain('0 bytes');
    expect(error.fix).toContain('stores.json');
    // Still empty: no tables were created behind the refusal.
    expect((await import('node:fs')).statSync(db).size).toBe(0);
  });

  it('refuses a vanished database file', async () => {
    const root = await project();
    rmSync(join(root, '.strata', 'strata.db'));
    const error = await refusal(root);
    expect(error.code).toBe('store_missing');
    expect(existsSync(join(root, '.strata', 'strata.db'))).toBe(false);
  });

  it('refuses another store put in its place; deleting stores.json adopts it on purpose', async () => {
    const root = await project();
    const other = await project();
    copyFileSync(join(other, '.strata', 'strata.db'), join(root, '.strata', 'strata.db'));
    expect((await refusal(root)).code).toBe('store_replaced');
    rmSync(join(root, '.strata', 'stores.json'));
    const adopted = await openProject({ cwd: root });
    await adopted.close();
  });

  it('a garbage file is not a new store either', async () => {
    const root = await project();
    writeFileSync(join(root, '.strata', 'strata.db'), Buffer.alloc(8192, 7));
    await expect(openProject({ cwd: root })).rejects.toThrow();
    expect((await import('node:fs')).statSync(join(root, '.strata', 'strata.db')).size).toBe(8192);
  });
});
