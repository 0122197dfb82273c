import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../hash/canonical-json.js';
import { createMemoryStack, type MemoryStack } from '../testing/index.js';
import { readAll } from '../util/stream.js';
import type { ArtifactStore } from './artifact-store.js';
import { readBlob, writeBlob } from './content-addressed.js';
import { readSourceToBytes, writeFileToSink, writeSourceToFile } from './file-transfer.js';

let temp: MemoryStack;
let store: ArtifactStore;
let dir: string;
beforeAll(async () => {
  temp = await createMemoryStack();
  store = temp.stack.artifactStore;
  dir = await mkdtemp(join(tmpdir(), 'strata-file-transfer-'));
});
afterAll(async () => {
  await temp.cleanup();
  await rm(dir, { recursive: true, force: true });
});

async function spoolFiles(): Promise<string[]> {
  return store.spoolDir ? await readdir(store.spoolDir).catch(() => []) : [];
}

describe('writeFileToSink into writeBlob', () => {
  const bytes = randomBytes(3 * (1 << 20) + 5);
  let path: string;
  beforeAll(async () => {
    path = join(dir, 'input.bin');
    await writeFile(path, bytes);
  });

  it('stores the file under the sha256 of its bytes and leaves no spool file', async () => {
    const blob = await writeBlob(store, (sink) => writeFileToSink(sink, path));
    expect(blob.sha256).toBe(sha256Hex(bytes));
    expect(blob.size).toBe(bytes.length);
    expect((await readAll(await readBlob(store, blob.key, blob.sha256))).equals(bytes)).toBe(true);
    expect(await spoolFiles()).toEqual([]);
  });

  it('hashes bytes written before and after the file in order', async () => {
    const blob = await writeBlob(store, async (sink) => {
      sink.write('head:');
      await writeFileToSink(sink, path);
      await writeFileToSink(sink, path);
    });
    const expected = Buffer.concat([Buffer.from('head:'), bytes, bytes]);
    expect(blob.sha256).toBe(sha256Hex(expected));
    expect((await readAll(await readBlob(store, blob.key, blob.sha256))).equals(expected)).toBe(true);
    const after = await writeBlob(store, async (sink) => {
      await writeFileToSink(sink, path);
      sink.write(':tail');
    });
    const tail = Buffer.concat([bytes, Buffer.from(':tail')]);
    expect(after.sha256).toBe(sha256Hex(tail));
    expect(after.size).toBe(tail.length);
    expect((await readAll(await readBlob(store, after.key, after.sha256))).equals(tail)).toBe(true);
  });

  it('streams into a sink that is not writeBlob', async () => {
    const sink = new PassThrough();
    const collected = readAll(sink);
    await writeFileToSink(sink, path);
    sink.end();
    expect((await collected).equals(bytes)).toBe(true);
  });

  it('fails for a missing file without leaving a blob or a spool file', async () => {
    const before = await spoolFiles();
    await expect(writeBlob(store, (sink) => writeFileToSink(sink, join(dir, 'missing')))).rejects.toThrow(
      /ENOENT/,
    );
    expect(await spoolFiles()).toEqual(before);
  });
});

describe('writeSourceToFile', () => {
  it('copies a verified blob to the path', async () => {
    const bytes = randomBytes(2 * (1 << 20) + 1);
    const blob = await writeBlob(store, async (sink) => void sink.write(bytes));
    const target = join(dir, 'copied.bin');
    await writeSourceToFile(await readBlob(store, blob.key, blob.sha256), target);
    expect((await readFile(target)).equals(bytes)).toBe(true);
    expect((await readdir(dir)).filter((f) => f.endsWith('.part'))).toEqual([]);
  });

  it('refuses a corrupt blob and leaves nothing at the path', async () => {
    const blob = await writeBlob(store, async (sink) => void sink.write(randomBytes(2 << 20)));
    await writeFile(join(temp.root, '.strata', 'artifacts', blob.key), randomBytes(2 << 20));
    const out = await mkdtemp(join(dir, 'corrupt-'));
    await expect(
      writeSourceToFile(await readBlob(store, blob.key, blob.sha256), join(out, 'file')),
    ).rejects.toThrow(/is corrupt/);
    expect(await readdir(out)).toEqual([]);
  });

  it('writes any other stream, and removes the file when the stream fails', async () => {
    const target = join(dir, 'plain.txt');
    await writeSourceToFile(Readable.from([Buffer.from('plain '), Buffer.from('stream')]), target);
    expect(await readFile(target, 'utf8')).toBe('plain stream');
    const failing = new Readable({
      read() {
        this.push(Buffer.from('partial'));
        this.destroy(new Error('connection reset'));
      },
    });
    const broken = join(dir, 'broken.txt');
    await expect(writeSourceToFile(failing, broken)).rejects.toThrow('connection reset');
    expect((await readdir(dir)).includes('broken.txt')).toBe(false);
  });
});

describe('readSourceToBytes', () => {
  it('reads a verified blob, and any other stream, into one exact-size array', async () => {
    const bytes = randomBytes(2 * (1 << 20) + 3);
    const blob = await writeBlob(store, async (sink) => void sink.write(bytes));
    const read = await readSourceToBytes(await readBlob(store, blob.key, blob.sha256));
    expect(read).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(read).equals(bytes)).toBe(true);
    const plain = await readSourceToBytes(Readable.from([bytes.subarray(0, 5), bytes.subarray(5)]));
    expect(Buffer.from(plain).equals(bytes)).toBe(true);
  });

  it('refuses a corrupt blob', async () => {
    const blob = await writeBlob(store, async (sink) => void sink.write(randomBytes(3 << 20)));
    await writeFile(join(temp.root, '.strata', 'artifacts', blob.key), randomBytes(3 << 20));
    await expect(readSourceToBytes(await readBlob(store, blob.key, blob.sha256))).rejects.toThrow(
      /is corrupt/,
    );
  });
});
