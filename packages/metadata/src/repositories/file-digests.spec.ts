import { mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { SourceFingerprints, StoredDigestMemo } from '@strata/core/plugin';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../open-database.js';

describe('the fast path remembered in the store', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('a new process (a new handle on the same store) trusts an unchanged stat and rehashes a changed one, even with its mtime set back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-digests-'));
    dirs.push(dir);
    const url = join(dir, 'strata.db');
    const file = join(dir, 'train.csv');
    writeFileSync(file, 'a,b\n1,2\n');
    const hourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(file, hourAgo, hourAgo);
    const fingerprint = async () => {
      const db = await openDatabase(url);
      try {
        const sources = new SourceFingerprints({ projectRoot: dir, memo: new StoredDigestMemo(db) });
        return (await sources.fingerprint({ uri: 'train.csv' })).digest;
      } finally {
        await db.close();
      }
    };
    const remembered = async () => {
      const db = await openDatabase(url);
      try {
        return await db.rememberedDigest(`${hostname()}:${file}`);
      } finally {
        await db.close();
      }
    };
    // A file changed (ctime) within a second of its hash is hashed again: let that second pass first.
    await new Promise((done) => setTimeout(done, 1_100));
    const first = await fingerprint();
    const { hashedAt } = (await remembered())!;
    // Unchanged: the second handle trusts the remembered stat; hashing again would remember a later
    // hashedAt.
    await new Promise((done) => setTimeout(done, 5));
    expect(await fingerprint()).toBe(first);
    expect((await remembered())?.hashedAt).toBe(hashedAt);
    // Same size, same mtime (set back), same inode, other bytes: the write moved ctime, so it is
    // hashed again instead of served from the memo.
    const { mtime } = statSync(file);
    writeFileSync(file, 'a,b\n3,4\n');
    utimesSync(file, mtime, mtime);
    const second = await fingerprint();
    expect(second).not.toBe(first);
    expect(`sha256:${(await remembered())?.sha256}`).toBe(second);
    // A real edit changes the mtime: hashed again, and the new digest is remembered.
    writeFileSync(file, 'a,b\n3,4\n5,6\n');
    utimesSync(file, hourAgo, new Date(Date.now() - 1_800_000));
    const third = await fingerprint();
    expect(third).not.toBe(second);
    const last = await remembered();
    expect(`sha256:${last?.sha256}`).toBe(third);
    expect(last?.size).toBe(12);
  });
});
