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

  it('a new process (a new handle on the same store) trusts an unchanged stat and rehashes a changed one', async () => {
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
    const first = await fingerprint();
    // Same size, same mtime, same inode, other bytes: only a remembered stat can return the old digest,
    // which proves the second handle read the memo instead of the file.
    const { mtime } = statSync(file);
    writeFileSync(file, 'a,b\n3,4\n');
    utimesSync(file, mtime, mtime);
    expect(await fingerprint()).toBe(first);
    // A real edit changes the mtime: hashed again, and the new digest is remembered.
    writeFileSync(file, 'a,b\n3,4\n5,6\n');
    utimesSync(file, hourAgo, new Date(Date.now() - 1_800_000));
    const third = await fingerprint();
    expect(third).not.toBe(first);
    const db = await openDatabase(url);
    try {
      const remembered = await db.rememberedDigest(`${hostname()}:${file}`);
      expect(`sha256:${remembered?.sha256}`).toBe(third);
      expect(remembered?.size).toBe(12);
    } finally {
      await db.close();
    }
  });
});
