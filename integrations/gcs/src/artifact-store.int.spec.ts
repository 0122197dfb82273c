import { Readable } from 'node:stream';
import { describeArtifactStoreContract } from '@strata/testing';
import { describe, expect, it } from 'vitest';
import { createGcsArtifactStore } from './client.js';
import { ensureGcsBucket, gcsTestConfig } from './test-server.js';

const config = gcsTestConfig();
await ensureGcsBucket(config);

describeArtifactStoreContract('gcs', (prefix) => createGcsArtifactStore({ ...config, prefix }));

describe('GcsArtifactStore against fake-gcs-server', () => {
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
