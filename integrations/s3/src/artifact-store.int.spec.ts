import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, ListMultipartUploadsCommand, type S3Client } from '@aws-sdk/client-s3';
import { readBlob, writeBlob } from '@strata/core/plugin';
import { describeArtifactStoreContract } from '@strata/testing';
import { describe, expect, it, vi } from 'vitest';
import { S3ArtifactStore } from './artifact-store.js';
import { createS3ArtifactStore, createS3Client } from './client.js';
import { s3ArtifactStoreFlavor } from './flavor.js';
import { ensureS3Bucket, s3TestConfig } from './test-server.js';

const config = s3TestConfig();
await ensureS3Bucket(config);

describeArtifactStoreContract('s3', (prefix) => createS3ArtifactStore({ ...config, prefix }));
describeArtifactStoreContract('s3 (staged uploads)', (prefix) =>
  createS3ArtifactStore({ ...config, prefix, uploadMode: 'staged' }),
);

describe('S3ArtifactStore against the loopback server', () => {
  it('publishes a staged upload with a part-by-part copy above the copy threshold', async () => {
    const MiB = 1024 * 1024;
    const store = new S3ArtifactStore({
      client: createS3Client(config),
      bucket: config.bucket,
      prefix: `staged-parts-${Date.now()}`,
      partSize: 5 * MiB,
      uploadMode: 'staged',
      copyPartThreshold: 6 * MiB,
    });
    const copy = vi.spyOn(store, 'copyObject');
    const chunks = Array.from({ length: 13 }, (_, i) => Buffer.alloc(MiB, i + 1));
    const blob = await writeBlob(store, (sink) => pipeline(Readable.from(chunks), sink, { end: false }));
    expect(copy).toHaveBeenCalledTimes(1);
    expect((await store.stat(blob.key))?.sha256).toBe(blob.sha256);
    expect((await store.stat(blob.key))?.size).toBe(13 * MiB);
    let read = 0;
    for await (const c of await readBlob(store, blob.key, blob.sha256)) read += (c as Buffer).length;
    expect(read).toBe(13 * MiB);
    const keys: string[] = [];
    for await (const info of store.list('')) keys.push(info.key);
    expect(keys).toEqual([blob.key]);
    await store.delete(blob.key);
    await store.close();
  });

  it('uploads a spooled file part by part, with a CRC32 per part, and removes the spool file', async () => {
    const MiB = 1024 * 1024;
    const prefix = `put-file-${Date.now()}`;
    const store = new S3ArtifactStore({
      client: createS3Client(config, { fastGets: true }),
      bucket: config.bucket,
      prefix,
      partSize: 5 * MiB,
      concurrency: 2,
    });
    const bytes = randomBytes(17 * MiB + 123);
    const spool = join(tmpdir(), `strata-s3-put-file-${Date.now()}.part`);
    await writeFile(spool, bytes);
    await store.putFile('big', spool, { sha256: 'a'.repeat(64) });
    await expect(writeFile(spool, '', { flag: 'wx' })).resolves.toBeUndefined(); // the spool is gone
    const client = createS3Client(config);
    const got = await client.send(
      new GetObjectCommand({
        Bucket: config.bucket,
        Key: `${store.uri('big').split('/').slice(3).join('/')}`,
      }),
    );
    // A composite CRC32 over the 4 parts, verified by the server on every UploadPart.
    expect(got.ChecksumCRC32).toMatch(/-4$/);
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(bytes)).toBe(true);
    expect((await store.stat('big'))?.sha256).toBe('a'.repeat(64));
    // The store's client reads GET bodies with core's httpGet (fast-get.ts), not node:http (the
    // SDK wraps a body only to check a whole-object checksum, which a multipart object lacks).
    const body = await store.get('big');
    expect(body.constructor.name).toBe('Readable');
    body.destroy();
    const small = join(tmpdir(), `strata-s3-put-file-small-${Date.now()}.part`);
    await writeFile(small, 'small');
    await store.putFile('small', small);
    const read: Buffer[] = [];
    for await (const c of await store.get('small')) read.push(c as Buffer);
    expect(Buffer.concat(read).toString()).toBe('small');
    await store.delete('big');
    await store.delete('small');
    client.destroy();
    await store.close();
  });

  it('aborts the multipart upload of a spooled file when a part fails for good', async () => {
    const MiB = 1024 * 1024;
    const client = createS3Client({ ...config, maxAttempts: 1 });
    let parts = 0;
    (client as S3Client).middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'UploadPartCommand' && ++parts === 2) throw new Error('part lost');
        return next(args);
      },
      { step: 'initialize', name: 'failSecondPart' },
    );
    const prefix = `put-file-fail-${Date.now()}`;
    const store = new S3ArtifactStore({
      client,
      bucket: config.bucket,
      prefix,
      partSize: 5 * MiB,
      concurrency: 2,
    });
    const spool = join(tmpdir(), `strata-s3-put-file-fail-${Date.now()}.part`);
    await writeFile(spool, randomBytes(12 * MiB));
    await expect(store.putFile('k', spool)).rejects.toThrow(/part lost/);
    expect(await store.exists('k')).toBe(false);
    const check = createS3Client(config);
    const uploads = await check.send(new ListMultipartUploadsCommand({ Bucket: config.bucket }));
    expect((uploads.Uploads ?? []).filter((u) => u.Key?.startsWith(store.uri('').split('/')[3]!))).toEqual(
      [],
    );
    check.destroy();
    await store.close();
  });

  it('leaves no multipart upload behind after an interrupted put', async () => {
    const client = createS3Client(config);
    const uploads = await client.send(new ListMultipartUploadsCommand({ Bucket: config.bucket }));
    client.destroy();
    expect(uploads.Uploads ?? []).toEqual([]);
  });

  it('records sha256 as object metadata and exposes it through stat', async () => {
    const store = createS3ArtifactStore({ ...config, prefix: `meta-${Date.now()}` });
    const { Readable } = await import('node:stream');
    await store.put('x', Readable.from([Buffer.from('abc')]), {
      sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    });
    expect((await store.stat('x'))?.sha256).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    await store.delete('x');
  });

  it('fails at once, naming bucket and operation, on a missing bucket', async () => {
    const store = createS3ArtifactStore({ ...config, bucket: 'strata-no-such-bucket' });
    await expect(store.exists('k')).rejects.toMatchObject({
      code: 'bucket_not_found',
      message: expect.stringContaining('"strata-no-such-bucket"'),
    });
    const { Readable } = await import('node:stream');
    const put = store.put('k', Readable.from([Buffer.from('x')]));
    await expect(put).rejects.toMatchObject({
      code: 'bucket_not_found',
      message: expect.stringMatching(/S3 put on bucket "strata-no-such-bucket"/),
    });
  });

  it('fails at once on bad credentials without printing them', async () => {
    const store = createS3ArtifactStore({ ...config, secretAccessKey: 'definitely-wrong-secret' });
    const error = await store.exists('k').then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error).toMatchObject({ code: 'bad_credentials' });
    expect(error?.message).toContain('"strata-test"');
    expect(error?.message).not.toContain('definitely-wrong-secret');
  });

  it('validates config: keys must come in pairs', () => {
    const parsed = s3ArtifactStoreFlavor.config.safeParse({ bucket: 'strata-test', accessKeyId: 'a' });
    expect(parsed.success).toBe(false);
    expect(s3ArtifactStoreFlavor.config.safeParse({ bucket: 'Bad_Bucket' }).success).toBe(false);
  });
});
