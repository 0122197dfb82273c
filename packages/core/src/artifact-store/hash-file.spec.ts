import { createHash, type Hash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashFile, readFileHashing } from './hash-file.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'strata-hash-file-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('hashFile', () => {
  it.each([0, 1, 1 << 20, (1 << 20) + 1, 3 * (1 << 20) - 7])('hashes a %i-byte file', async (size) => {
    const bytes = randomBytes(size);
    const path = join(dir, `f${size}`);
    await writeFile(path, bytes);
    const hash = createHash('sha256');
    expect(await hashFile(hash, path)).toBe(size);
    expect(hash.digest('hex')).toBe(createHash('sha256').update(bytes).digest('hex'));
    const again = createHash('sha256');
    const read = await readFileHashing(again, path);
    expect(Buffer.from(read).equals(bytes)).toBe(true);
    expect(again.digest('hex')).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  it('rejects a missing file', async () => {
    await expect(hashFile(createHash('sha256'), join(dir, 'missing'))).rejects.toThrow(/ENOENT/);
  });

  it('stops between chunks once its signal aborts, with the reason', async () => {
    const path = join(dir, 'aborted');
    await writeFile(path, randomBytes(4 << 20));
    const controller = new AbortController();
    const hash = createHash('sha256');
    let chunks = 0;
    const aborting = {
      update(bytes: Buffer) {
        chunks++;
        controller.abort(new Error('run cancelled'));
        return hash.update(bytes);
      },
    } as unknown as Hash;
    await expect(hashFile(aborting, path, controller.signal)).rejects.toThrow('run cancelled');
    expect(chunks).toBe(1);
  });
});
