/**
 * az:// sources read through the stack's seam (SourceReader) against the loopback Azurite: with the
 * azure store's account from the stack's config (account name and key, AZURE_STORAGE_CONNECTION_STRING
 * pointing elsewhere), blobs read as fingerprinted (ranges and stream); a blob replaced after its
 * fingerprint is `source_changed`, and so is a prefix that lost a blob; errors hold no key.
 */
import { text } from 'node:stream/consumers';
import { SourceFingerprints } from '@strata/core/plugin';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createBlobServiceClient } from './client.js';
import { azureSourceFingerprinter } from './source-fingerprint.js';
import { azureSourceReader } from './source-reader.js';
import { azureTestConfig, azuriteAccount, ensureAzureContainer } from './test-server.js';

const config = azureTestConfig();
const run = `reader-${Date.now().toString(36)}`;
const container = createBlobServiceClient(config).getContainerClient(config.container);
const put = (key: string, body: string) =>
  container.getBlockBlobClient(`${run}/${key}`).upload(body, Buffer.byteLength(body));
// The store's own account (name, key, endpoint), as `strata artifact-store register` stores it.
const { connectionString: _, ...rest } = config;
const storeConfig = { ...rest, ...azuriteAccount() } as unknown as Record<string, unknown>;
const fingerprints = (store = storeConfig) =>
  new SourceFingerprints({
    projectRoot: '/',
    fingerprinters: [azureSourceFingerprinter],
    readers: [azureSourceReader],
    store: { flavor: 'azure', config: store },
  });

beforeAll(() => ensureAzureContainer(config));
afterEach(() => vi.unstubAllEnvs());

describe('az source reader', () => {
  it("reads a blob with the store's account as fingerprinted; replaced, it is source_changed", async () => {
    vi.stubEnv(
      'AZURE_STORAGE_CONNECTION_STRING',
      'DefaultEndpointsProtocol=http;AccountName=nobody;AccountKey=bm9ib2R5;BlobEndpoint=http://127.0.0.1:9/nobody;',
    );
    await put('one.csv', 'a,b\n1,2\n');
    const sources = fingerprints();
    const spec = { uri: `az://${config.container}/${run}/one.csv` };
    const fingerprint = await sources.fingerprint(spec);
    const [object] = await sources.objects(spec, fingerprint);
    expect(object).toMatchObject({ name: 'one.csv', size: 8 });
    expect(new TextDecoder().decode(await object!.read(4, 8))).toBe('1,2\n');
    expect(await text(object!.stream())).toBe('a,b\n1,2\n');
    await put('one.csv', 'a,b\n9,9\n');
    await expect(object!.read(0, 8)).rejects.toMatchObject({ code: 'source_changed' });
    await expect(text(object!.stream())).rejects.toThrow(/changed after it was fingerprinted/);
  });

  it('pins a prefix to its fingerprinted listing, naming what changed; errors hold no key', async () => {
    await put('parts/a.csv', 'x\n1\n');
    await put('parts/b.csv', 'x\n2\n');
    const sources = fingerprints();
    const spec = { uri: `az://${config.container}/${run}/parts/` };
    const fingerprint = await sources.fingerprint(spec);
    const objects = await sources.objects(spec, fingerprint);
    expect(objects.map((o) => o.name)).toEqual(['a.csv', 'b.csv']);
    expect(await Promise.all(objects.map((o) => text(o.stream())))).toEqual(['x\n1\n', 'x\n2\n']);
    await container.getBlockBlobClient(`${run}/parts/a.csv`).delete();
    await expect(sources.objects(spec, fingerprint)).rejects.toThrow(
      /changed after it was fingerprinted: a\.csv removed/,
    );
    const key = Buffer.from('not-the-key-0123456789').toString('base64');
    const wrong = fingerprints({ ...storeConfig, accountKey: key, maxAttempts: 1 });
    const error = await wrong.objects(spec, await sources.fingerprint(spec)).catch((e: Error) => e);
    expect(error).toMatchObject({ code: 'source_unreachable' });
    expect(JSON.stringify({ message: (error as Error).message, ...(error as object) })).not.toContain(key);
  });
});
