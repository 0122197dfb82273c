import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { readBlob, writeBlob } from '@strata/core';
import { describeArtifactStoreContract } from '@strata/testing';
import { describe, expect, it, vi } from 'vitest';
import { createGcsArtifactStore } from './client.js';
import { ensureGcsBucket, gcsTestConfig } from './test-server.js';

const config = gcsTestConfig();
await ensureGcsBucket(config);

describeArtifactStoreContract('gcs', (prefix) => createGcsArtifactStore({ ...config, prefix }));

describe('GcsArtifactStore against fake-gcs-server', () => {
  it('staged mode: uploads while hashing, publishes with a rewrite, leaves no staging object', async () => {
    const store = createGcsArtifactStore({ ...config, prefix: `staged-${Date.now()}`, uploadMode: 'staged' });
    const copy = vi.spyOn(store, 'copyObject');
    const chunks = Array.from({ length: 12 }, (_, i) => Buffer.alloc(1 << 20, i + 1));
    const blob = await writeBlob(store, (sink) => pipeline(Readable.from(chunks), sink, { end: false }));
    expect(copy).toHaveBeenCalledTimes(1);
    expect((await store.stat(blob.key))?.sha256).toBe(blob.sha256);
    expect((await store.stat(blob.key))?.size).toBe(12 << 20);
    let read = 0;
    for await (const c of await readBlob(store, blob.key, blob.sha256)) read += (c as Buffer).length;
    expect(read).toBe(12 << 20);
    const keys: string[] = [];
    for await (const info of store.list('')) keys.push(info.key);
    expect(keys).toEqual([blob.key]);
    await store.delete(blob.key);
  });

  it('staged mode: a writer failing half-way leaves neither blob nor staging object', async () => {
    const store = createGcsArtifactStore({
      ...config,
      prefix: `staged-fail-${Date.now()}`,
      uploadMode: 'staged',
    });
    async function* failing() {
      for (let i = 0; i < 10; i++) yield Buffer.alloc(1 << 20, i);
      throw new Error('materializer crashed');
    }
    await expect(
      writeBlob(store, (sink) => pipeline(Readable.from(failing()), sink, { end: false })),
    ).rejects.toThrow('materializer crashed');
    const keys: string[] = [];
    for await (const info of store.list('')) keys.push(info.key);
    expect(keys).toEqual([]);
  });

  it('records sha256 as custom metadata and exposes it through stat', async () => {
    const store = createGcsArtifactStore({ ...config, prefix: `meta-${Date.now()}` });
    const sha = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
    await store.put('x', Readable.from([Buffer.from('abc')]), { size: 3, sha256: sha });
    expect((await store.stat('x'))?.sha256).toBe(sha);
    await store.delete('x');
  });

  it('fails at once, naming bucket and operation, on a missing bucket', async () => {
    const store = createGcsArtifactStore({ ...config, bucket: 'strata-no-such-bucket' });
    await expect(store.exists('k')).rejects.toMatchObject({
      code: 'bucket_not_found',
      message: expect.stringContaining('"strata-no-such-bucket"'),
    });
    const put = store.put('k', Readable.from([Buffer.from('x')]), { size: 1 });
    await expect(put).rejects.toMatchObject({
      code: 'bucket_not_found',
      message: expect.stringMatching(/GCS put on bucket "strata-no-such-bucket"/),
    });
  });
});
