import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { readBlob, writeBlob } from '@strata/core/plugin';
import { describeArtifactStoreContract } from '@strata/testing';
import { describe, expect, it, vi } from 'vitest';
import { createAzureArtifactStore } from './client.js';
import { FastGetClient } from './fast-get.js';
import { azureTestConfig, azuriteAccount, ensureAzureContainer } from './test-server.js';

const config = azureTestConfig();
await ensureAzureContainer(config);

describeArtifactStoreContract('azure', (prefix) => createAzureArtifactStore({ ...config, prefix }));

describe('AzureArtifactStore against Azurite', () => {
  it('records sha256 as metadata and verifies Content-MD5 on single-shot blobs', async () => {
    const store = createAzureArtifactStore({ ...config, prefix: `meta-${Date.now()}` });
    const sha = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
    await store.put('x', Readable.from([Buffer.from('abc')]), { sha256: sha });
    expect((await store.stat('x'))?.sha256).toBe(sha);
    const chunks: Buffer[] = [];
    for await (const c of await store.get('x')) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('abc');
    await store.delete('x');
  });

  it("reads blobs and lists through FastGetClient's own GET, not the SDK's client", async () => {
    const fast = vi.spyOn(FastGetClient.prototype, 'sendRequest');
    const store = createAzureArtifactStore({ ...config, prefix: `fast-${Date.now()}` });
    await store.put('x', Readable.from([Buffer.alloc(3 << 20, 7)]));
    const chunks: Buffer[] = [];
    for await (const c of await store.get('x')) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).equals(Buffer.alloc(3 << 20, 7))).toBe(true);
    const keys: string[] = [];
    for await (const info of store.list('')) keys.push(info.key);
    expect(keys).toEqual(['x']);
    const gets = fast.mock.calls.filter(([request]) => request.method === 'GET');
    expect(gets.length).toBeGreaterThanOrEqual(2);
    // The body came from core's httpGet (a plain Readable), not node:http's IncomingMessage.
    const results = await Promise.all(fast.mock.results.map((r) => r.value));
    const bodies = results
      .map((r) => (r as { readableStreamBody?: unknown }).readableStreamBody)
      .filter(Boolean);
    expect(bodies.length).toBeGreaterThan(0);
    for (const body of bodies) expect((body as object).constructor.name).toBe('Readable');
    fast.mockRestore();
    await store.delete('x');
  });

  it('writes a large blob in one pass through a staging blob and a server-side copy', async () => {
    const store = createAzureArtifactStore({ ...config, prefix: `staged-${Date.now()}` });
    const chunks = Array.from({ length: 12 }, (_, i) => Buffer.alloc(1 << 20, i + 1));
    const copy = vi.spyOn(store, 'copyObject');
    const blob = await writeBlob(store, (sink) => pipeline(Readable.from(chunks), sink, { end: false }));
    expect(copy).toHaveBeenCalledTimes(1);
    expect(copy.mock.calls[0]?.[1]).toBe(blob.key);
    expect((await store.stat(blob.key))?.sha256).toBe(blob.sha256);
    expect((await store.stat(blob.key))?.size).toBe(12 << 20);
    const keys: string[] = [];
    for await (const info of store.list('')) keys.push(info.key);
    expect(keys).toEqual([blob.key]);
    let read = 0;
    for await (const c of await readBlob(store, blob.key, blob.sha256)) read += (c as Buffer).length;
    expect(read).toBe(12 << 20);
    await store.delete(blob.key);
  });

  it('leaves neither a blob nor a staging blob when the writer fails half-way', async () => {
    const store = createAzureArtifactStore({ ...config, prefix: `staged-fail-${Date.now()}` });
    async function* failing() {
      for (let i = 0; i < 6; i++) yield Buffer.alloc(1 << 20, i);
      throw new Error('materializer crashed');
    }
    await expect(
      writeBlob(store, (sink) => pipeline(Readable.from(failing()), sink, { end: false })),
    ).rejects.toThrow('materializer crashed');
    const keys: string[] = [];
    for await (const info of store.list('')) keys.push(info.key);
    expect(keys).toEqual([]);
  });

  it('works with accountName + accountKey + endpoint instead of a connection string', async () => {
    const { accountName, accountKey, endpoint } = azuriteAccount();
    const store = createAzureArtifactStore({
      container: config.container,
      prefix: `key-${Date.now()}`,
      accountName,
      accountKey,
      endpoint,
      maxAttempts: 2,
      blockSizeMiB: 4,
      concurrency: 2,
      uploadMode: 'staged',
    });
    await store.put('y', Readable.from([Buffer.from('yes')]));
    expect(await store.exists('y')).toBe(true);
    await store.delete('y');
  });

  it('fails at once, naming container and operation, on a missing container', async () => {
    const store = createAzureArtifactStore({ ...config, container: 'strata-no-such-container' });
    await expect(store.exists('k')).rejects.toMatchObject({
      code: 'bucket_not_found',
      message: expect.stringContaining('"strata-no-such-container"'),
    });
    const put = store.put('k', Readable.from([Buffer.from('x')]));
    await expect(put).rejects.toMatchObject({
      code: 'bucket_not_found',
      message: expect.stringMatching(/Azure put on container "strata-no-such-container"/),
    });
  });

  it('fails at once on bad credentials without printing them', async () => {
    const { accountName, endpoint } = azuriteAccount();
    const wrongKey = Buffer.from('definitely the wrong key, 32 bytes!').toString('base64');
    const store = createAzureArtifactStore({
      container: config.container,
      prefix: '',
      accountName,
      accountKey: wrongKey,
      endpoint,
      maxAttempts: 2,
      blockSizeMiB: 4,
      concurrency: 2,
      uploadMode: 'staged',
    });
    const error = await store.put('k', Readable.from([Buffer.from('x')])).then(
      () => undefined,
      (e: Error) => e,
    );
    // Real Azure says AuthenticationFailed (bad_credentials); Azurite says AuthorizationFailure.
    expect(['bad_credentials', 'permission_denied']).toContain((error as { code?: string })?.code);
    expect(error?.message).toMatch(
      /Azure put on container .*(credentials were rejected|credentials are wrong)/,
    );
    expect(error?.message).toContain('"strata-test"');
    expect(error?.message).not.toContain(wrongKey);
  });
});
