import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { readAll } from '../util/stream.js';
import type { ArtifactStore, ObjectInfo, PutOptions } from './artifact-store.js';
import { blobKey, readBlob, writeBlob } from './content-addressed.js';
import { STAGING_PREFIX } from './object-store-staged-write.js';

/** An in-memory object store with a server-side copy; records every call and can fail uploads. */
class MemoryStore implements ArtifactStore {
  readonly identity = 'memory://test';
  readonly objects = new Map<string, { bytes: Buffer; sha256?: string }>();
  readonly calls: string[] = [];
  failPutAfterBytes: number | undefined;

  async put(key: string, body: Readable, options?: PutOptions): Promise<void> {
    this.calls.push(`put ${key.startsWith(STAGING_PREFIX) ? 'staging' : key}`);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of body) {
      chunks.push(chunk as Buffer);
      size += (chunk as Buffer).length;
      if (this.failPutAfterBytes !== undefined && size > this.failPutAfterBytes) {
        body.destroy();
        throw new Error('connection reset by the fake server');
      }
    }
    // Commit only a complete body, as an object store's final request does.
    this.objects.set(key, {
      bytes: Buffer.concat(chunks),
      ...(options?.sha256 ? { sha256: options.sha256 } : {}),
    });
  }
  async copy(from: string, to: string, options?: PutOptions): Promise<void> {
    this.calls.push(`copy -> ${to}`);
    const source = this.objects.get(from);
    if (!source) throw new Error(`no ${from}`);
    this.objects.set(to, { bytes: source.bytes, ...(options?.sha256 ? { sha256: options.sha256 } : {}) });
  }
  async get(key: string): Promise<Readable> {
    const object = this.objects.get(key);
    if (!object) throw new Error(`no ${key}`);
    return Readable.from([object.bytes]);
  }
  async stat(key: string): Promise<ObjectInfo | undefined> {
    const object = this.objects.get(key);
    return object
      ? { key, size: object.bytes.length, ...(object.sha256 ? { sha256: object.sha256 } : {}) }
      : undefined;
  }
  async exists(key: string): Promise<boolean> {
    return this.objects.has(key);
  }
  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    for (const [key, o] of this.objects) if (key.startsWith(prefix)) yield { key, size: o.bytes.length };
  }
  async delete(key: string): Promise<void> {
    this.calls.push(`delete ${key.startsWith(STAGING_PREFIX) ? 'staging' : key}`);
    this.objects.delete(key);
  }
  uri(key: string): string {
    return `memory://test/${key}`;
  }
}

const MiB = 1 << 20;

function bytes(n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (i * 131 + (i >>> 9)) & 0xff;
  return b;
}

function chunked(b: Buffer, size = 256 * 1024): Readable {
  const parts: Buffer[] = [];
  for (let i = 0; i < b.length; i += size) parts.push(b.subarray(i, i + size));
  return Readable.from(parts);
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('writeBlob on a store with a server-side copy', () => {
  it('uploads a large value to a staging key while hashing, copies it to its address, deletes the staging object', async () => {
    const store = new MemoryStore();
    const value = bytes(3 * MiB + 17);
    const blob = await writeBlob(store, (sink) => pipeline(chunked(value), sink, { end: false }));
    expect(blob.sha256).toBe(sha(value));
    expect(blob.key).toBe(blobKey(sha(value)));
    expect(blob.size).toBe(value.length);
    expect(store.calls).toEqual(['put staging', `copy -> ${blob.key}`, 'delete staging']);
    expect([...store.objects.keys()]).toEqual([blob.key]);
    expect(store.objects.get(blob.key)?.sha256).toBe(blob.sha256);
    expect(await readAll(await readBlob(store, blob.key, blob.sha256))).toEqual(value);
  });

  it('publishes a small value with one put and no copy', async () => {
    const store = new MemoryStore();
    const blob = await writeBlob(store, async (sink) => {
      sink.write('small value');
    });
    expect(store.calls).toEqual([`put ${blob.key}`]);
    expect(store.objects.get(blob.key)?.sha256).toBe(sha(Buffer.from('small value')));
  });

  it('skips the copy when the content is already stored', async () => {
    const store = new MemoryStore();
    const value = bytes(2 * MiB);
    const first = await writeBlob(store, (sink) => pipeline(chunked(value), sink, { end: false }));
    store.calls.length = 0;
    const second = await writeBlob(store, (sink) => pipeline(chunked(value), sink, { end: false }));
    expect(second.key).toBe(first.key);
    expect(store.calls).toEqual(['put staging', 'delete staging']);
  });

  it('leaves no blob and no staging object when the writer fails half-way', async () => {
    const store = new MemoryStore();
    const value = bytes(4 * MiB);
    const failing = async function* () {
      yield value.subarray(0, 2 * MiB);
      throw new Error('materializer crashed');
    };
    await expect(
      writeBlob(store, (sink) => pipeline(Readable.from(failing()), sink, { end: false })),
    ).rejects.toThrow('materializer crashed');
    expect([...store.objects.keys()]).toEqual([]);
    expect(store.calls).not.toContainEqual(expect.stringMatching(/^copy/));
  });

  it('fails the write, with no blob, when the staging upload fails', async () => {
    const store = new MemoryStore();
    store.failPutAfterBytes = 2 * MiB;
    await expect(
      writeBlob(store, (sink) => pipeline(chunked(bytes(5 * MiB)), sink, { end: false })),
    ).rejects.toThrow('connection reset by the fake server');
    expect([...store.objects.keys()]).toEqual([]);
    expect(store.calls).not.toContainEqual(expect.stringMatching(/^copy/));
  });
});
