import { SourceFingerprints } from '@strata/core/plugin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGcsClient } from './client.js';
import { gcsSourceFingerprinter } from './source-fingerprint.js';
import { ensureGcsBucket, gcsTestConfig } from './test-server.js';

const config = gcsTestConfig();
const run = `src-${Date.now().toString(36)}`;
const bucket = createGcsClient(config).bucket(config.bucket);
const put = (key: string, body: string) => bucket.file(`${run}/${key}`).save(body, { resumable: false });
const fingerprints = new SourceFingerprints({
  projectRoot: '/',
  fingerprinters: [gcsSourceFingerprinter],
  store: { flavor: 'gcs', config: config as unknown as Record<string, unknown> },
});

beforeAll(() => ensureGcsBucket(config));
afterAll(() => bucket.deleteFiles({ prefix: `${run}/` }).catch(() => undefined));

describe('gs sources (loopback fake-gcs-server)', () => {
  it('fingerprints an object by its generation: same until overwritten', async () => {
    await put('train.csv', 'x\n1\n2\n');
    const uri = `gs://${config.bucket}/${run}/train.csv`;
    const a = await fingerprints.fingerprint({ uri });
    expect(a.digest).toMatch(/^generation:/);
    expect((await fingerprints.fingerprint({ uri })).digest).toBe(a.digest);
    await put('train.csv', 'x\n1\n2\n3\n');
    expect((await fingerprints.fingerprint({ uri })).digest).not.toBe(a.digest);
  });

  it('fingerprints a prefix by its listing, naming an added object', async () => {
    await put('parts/a.csv', 'a');
    const uri = `gs://${config.bucket}/${run}/parts/`;
    const before = await fingerprints.fingerprint({ uri });
    await put('parts/b.csv', 'b');
    const after = await fingerprints.fingerprint({ uri });
    expect(after.digest).not.toBe(before.digest);
    expect(Object.keys(after.entries ?? {})).toEqual(['a.csv', 'b.csv']);
  });
});
