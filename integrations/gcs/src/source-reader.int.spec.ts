/**
 * gs:// sources read through the stack's seam (SourceReader) against the loopback fake-gcs-server:
 * objects read at their fingerprinted generation (ranges and stream), with the gcs store's endpoint
 * from the stack's config; an object replaced after its fingerprint is `source_changed`, and so is
 * a prefix that gained an object.
 */
import { text } from 'node:stream/consumers';
import { SourceFingerprints } from '@strata/core/plugin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGcsClient } from './client.js';
import { gcsSourceFingerprinter } from './source-fingerprint.js';
import { gcsSourceReader } from './source-reader.js';
import { ensureGcsBucket, gcsTestConfig } from './test-server.js';

const config = gcsTestConfig();
const run = `reader-${Date.now().toString(36)}`;
const bucket = createGcsClient(config).bucket(config.bucket);
const put = (key: string, body: string) => bucket.file(`${run}/${key}`).save(body, { resumable: false });
const fingerprints = new SourceFingerprints({
  projectRoot: '/',
  fingerprinters: [gcsSourceFingerprinter],
  readers: [gcsSourceReader],
  store: { flavor: 'gcs', config: config as unknown as Record<string, unknown> },
});

beforeAll(() => ensureGcsBucket(config));
afterAll(() => bucket.deleteFiles({ prefix: `${run}/` }).catch(() => undefined));

describe('gs source reader', () => {
  it('reads an object at its fingerprinted generation; replaced, it is source_changed', async () => {
    await put('one.csv', 'a,b\n1,2\n');
    const spec = { uri: `gs://${config.bucket}/${run}/one.csv` };
    const fingerprint = await fingerprints.fingerprint(spec);
    const [object] = await fingerprints.objects(spec, fingerprint);
    expect(object).toMatchObject({ name: 'one.csv', size: 8, version: fingerprint.digest });
    expect(new TextDecoder().decode(await object!.read(4, 8))).toBe('1,2\n');
    expect(await text(object!.stream())).toBe('a,b\n1,2\n');
    await put('one.csv', 'a,b\n9,9\n');
    await expect(object!.read(0, 8)).rejects.toMatchObject({ code: 'source_changed' });
    await expect(text(object!.stream())).rejects.toThrow(/changed after it was fingerprinted/);
  });

  it('pins a prefix to its fingerprinted listing, naming what changed', async () => {
    await put('parts/a.csv', 'x\n1\n');
    await put('parts/b.csv', 'x\n2\n');
    const spec = { uri: `gs://${config.bucket}/${run}/parts/` };
    const fingerprint = await fingerprints.fingerprint(spec);
    const objects = await fingerprints.objects(spec, fingerprint);
    expect(objects.map((o) => o.name)).toEqual(['a.csv', 'b.csv']);
    expect(await Promise.all(objects.map((o) => text(o.stream())))).toEqual(['x\n1\n', 'x\n2\n']);
    await put('parts/b.csv', 'x\n22\n');
    await expect(fingerprints.objects(spec, fingerprint)).rejects.toThrow(
      /changed after it was fingerprinted: b\.csv replaced/,
    );
  });
});
