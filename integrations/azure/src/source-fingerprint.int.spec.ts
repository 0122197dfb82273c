import { SourceFingerprints } from '@strata/core/plugin';
import { beforeAll, describe, expect, it } from 'vitest';
import { createBlobServiceClient } from './client.js';
import { azureSourceFingerprinter } from './source-fingerprint.js';
import { azureTestConfig, ensureAzureContainer } from './test-server.js';

const config = azureTestConfig();
const run = `src-${Date.now().toString(36)}`;
const container = createBlobServiceClient(config).getContainerClient(config.container);
const put = (key: string, body: string) =>
  container.getBlockBlobClient(`${run}/${key}`).upload(body, Buffer.byteLength(body));
const fingerprints = new SourceFingerprints({
  projectRoot: '/',
  fingerprinters: [azureSourceFingerprinter],
  store: { flavor: 'azure', config: config as unknown as Record<string, unknown> },
});

beforeAll(() => ensureAzureContainer(config));

describe('az sources (loopback Azurite)', () => {
  it('fingerprints a blob by its ETag (or version id): same until overwritten', async () => {
    await put('train.csv', 'x\n1\n2\n');
    const uri = `az://${config.container}/${run}/train.csv`;
    const a = await fingerprints.fingerprint({ uri });
    expect(a.digest).toMatch(/^(etag|version):/);
    expect((await fingerprints.fingerprint({ uri })).digest).toBe(a.digest);
    await put('train.csv', 'x\n1\n2\n3\n');
    expect((await fingerprints.fingerprint({ uri })).digest).not.toBe(a.digest);
  });

  it('fingerprints a prefix by its listing, naming an added blob', async () => {
    await put('parts/a.csv', 'a');
    const uri = `az://${config.container}/${run}/parts/`;
    const before = await fingerprints.fingerprint({ uri });
    await put('parts/b.csv', 'b');
    const after = await fingerprints.fingerprint({ uri });
    expect(after.digest).not.toBe(before.digest);
    expect(Object.keys(after.entries ?? {})).toEqual(['a.csv', 'b.csv']);
  });
});
