import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../hash/canonical-json.js';
import { createMemoryStack, type MemoryStack } from '../testing/index.js';
import { readAll } from '../util/stream.js';
import type { ArtifactStore } from './artifact-store.js';
import { blobKey, readBlob, writeBlob } from './content-addressed.js';

let temp: MemoryStack;
let store: ArtifactStore;
beforeAll(async () => {
  temp = await createMemoryStack();
  store = temp.stack.artifactStore;
});
afterAll(() => temp.cleanup());

async function keys(prefix = '') {
  const out: string[] = [];
  for await (const info of store.list(prefix)) out.push(info.key);
  return out;
}

describe('content-addressed writes', () => {
  it('keys a blob by the sha256 of its bytes and returns the writer result', async () => {
    const blob = await writeBlob(store, async (sink) => {
      sink.write('hello ');
      sink.write('world');
      return 'summary';
    });
    expect(blob.sha256).toBe(sha256Hex('hello world'));
    expect(blob.key).toBe(blobKey(blob.sha256));
    expect(blob.key).toMatch(/^blobs\/sha256\/[0-9a-f]{2}\/[0-9a-f]{64}$/);
    expect(blob.size).toBe(11);
    expect(blob.result).toBe('summary');
    expect((await readAll(await readBlob(store, blob.key, blob.sha256))).toString()).toBe('hello world');
  });

  it('stores identical content once', async () => {
    const before = (await keys('blobs/')).length;
    const a = await writeBlob(store, async (sink) => void sink.write('same bytes'));
    const b = await writeBlob(store, async (sink) => void sink.write('same bytes'));
    expect(b.key).toBe(a.key);
    expect((await keys('blobs/')).length).toBe(before + 1);
  });

  it('leaves neither a blob nor a spool file when the writer fails', async () => {
    const before = await keys('blobs/');
    await expect(
      writeBlob(store, async (sink) => {
        sink.write('partial');
        throw new Error('writer crashed');
      }),
    ).rejects.toThrow('writer crashed');
    expect(await keys('blobs/')).toEqual(before);
    const spool = store.spoolDir ? await readdir(store.spoolDir).catch(() => []) : [];
    expect(spool).toEqual([]);
  });

  it('fails the read stream when stored bytes were modified', async () => {
    const blob = await writeBlob(store, async (sink) => void sink.write('original'));
    await writeFile(join(temp.root, '.strata', 'artifacts', blob.key), 'tampered');
    await expect(readAll(await readBlob(store, blob.key, blob.sha256))).rejects.toThrow(/is corrupt/);
  });

  it('reports a missing blob with a fix', async () => {
    await expect(readBlob(store, blobKey('0'.repeat(64)), '0'.repeat(64))).rejects.toThrow(/does not exist/);
  });
});
