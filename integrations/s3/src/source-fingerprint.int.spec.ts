import { PutObjectCommand } from '@aws-sdk/client-s3';
import { pipeline, source, step, t } from '@strata/core';
import { SourceFingerprints, stepRunnerFactory } from '@strata/core/plugin';
import { createTemporaryStack, type TemporaryStack } from '@strata/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Client } from './client.js';
import { s3SourceFingerprinter } from './source-fingerprint.js';
import { ensureS3Bucket, s3TestConfig } from './test-server.js';

const config = s3TestConfig();
const run = `src-${Date.now().toString(36)}`;
const client = createS3Client(config);
const put = (key: string, body: string) =>
  client.send(new PutObjectCommand({ Bucket: config.bucket, Key: `${run}/${key}`, Body: body }));

let temp: TemporaryStack;
let fingerprints: SourceFingerprints;
beforeAll(async () => {
  await ensureS3Bucket(config);
  temp = await createTemporaryStack();
  fingerprints = new SourceFingerprints({
    projectRoot: temp.root,
    fingerprinters: [s3SourceFingerprinter],
    store: { flavor: 's3', config: config as unknown as Record<string, unknown> },
  });
});
afterAll(async () => {
  client.destroy();
  await temp.cleanup();
});

describe('s3 sources (loopback S3 server)', () => {
  it('fingerprints an object from its metadata: same until overwritten', async () => {
    await put('train.csv', 'x\n1\n2\n');
    const uri = `s3://${config.bucket}/${run}/train.csv`;
    const a = await fingerprints.fingerprint({ uri });
    expect(a.digest).toMatch(/^(etag|version):/);
    expect(a.size).toBe(6);
    expect((await fingerprints.fingerprint({ uri })).digest).toBe(a.digest);
    await put('train.csv', 'x\n1\n2\n3\n');
    expect((await fingerprints.fingerprint({ uri })).digest).not.toBe(a.digest);
  });

  it('fingerprints a prefix by its listing, naming entries; a missing prefix is a clear error', async () => {
    await put('parts/a.csv', 'a');
    const uri = `s3://${config.bucket}/${run}/parts/`;
    const before = await fingerprints.fingerprint({ uri });
    expect(Object.keys(before.entries ?? {})).toEqual(['a.csv']);
    await put('parts/b.csv', 'b');
    const after = await fingerprints.fingerprint({ uri });
    expect(after.digest).not.toBe(before.digest);
    expect(Object.keys(after.entries ?? {})).toEqual(['a.csv', 'b.csv']);
    await expect(fingerprints.fingerprint({ uri: `s3://${config.bucket}/${run}/nothing/` })).rejects.toThrow(
      /matches no object/,
    );
  });

  it('a step reading an overwritten object misses, naming the source; unchanged it hits', async () => {
    await put('rows.csv', '1\n2\n');
    const uri = `s3://${config.bucket}/${run}/rows.csv`;
    const read = step({
      name: 'read',
      inputs: { data: t.source() },
      outputs: { digest: t.string() },
      run: ({ data }) => ({ digest: data.fingerprint.digest }),
    });
    const flow = pipeline({ name: 's3-source', body: () => read({ data: source(uri) }) });
    // The temporary stack has no s3 plugin: give it one that fingerprints s3:// sources, in the stack
    // and in the runners it builds (steps get their runner from the stack's one factory).
    const stack = {
      ...temp.stack,
      sources: fingerprints,
      stepRunner: stepRunnerFactory({
        database: temp.stack.database,
        artifactStore: temp.stack.artifactStore,
        materializers: temp.stack.materializers,
        components: temp.stack.extras,
        sources: fingerprints,
      }),
    };
    const statusOf = async () => {
      const done = await (await flow.run({ stack })).wait();
      return (await temp.stack.database.listStepRuns(done.id))[0]!;
    };
    expect((await statusOf()).status).toBe('completed');
    expect((await statusOf()).status).toBe('cached');
    await put('rows.csv', '1\n2\n3\n');
    const third = await statusOf();
    expect(third.status).toBe('completed');
    expect(third.cacheReason).toMatch(new RegExp(`^miss: source ${uri} changed \\(`));
  });
});
