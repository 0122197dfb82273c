import { CreateBucketCommand, HeadBucketCommand } from '@aws-sdk/client-s3';
import { createS3Client } from './client.js';
import type { S3ArtifactStoreConfig } from './flavor.js';

/** The loopback S3 server of scripts/services/s3.sh; fails loudly when its env is missing. */
export function s3TestConfig(overrides: Partial<S3ArtifactStoreConfig> = {}): S3ArtifactStoreConfig {
  const endpoint = process.env.STRATA_TEST_S3_ENDPOINT;
  const accessKeyId = process.env.STRATA_TEST_S3_ACCESS_KEY_ID;
  const secretAccessKey = process.env.STRATA_TEST_S3_SECRET_ACCESS_KEY;
  if (!endpoint || !accessKeyId || !secretAccessKey) {
    throw new Error(
      'STRATA_TEST_S3_* is not set: run `bash scripts/services/all.sh s3 && source .services/env`',
    );
  }
  return {
    bucket: 'strata-test',
    prefix: '',
    region: process.env.STRATA_TEST_S3_REGION ?? 'us-east-1',
    endpoint,
    forcePathStyle: true,
    accessKeyId,
    secretAccessKey,
    maxAttempts: 8,
    partSizeMiB: 8,
    concurrency: 4,
    uploadMode: 'spool',
    ...overrides,
  };
}

export async function ensureS3Bucket(config: S3ArtifactStoreConfig): Promise<void> {
  const client = createS3Client(config);
  try {
    await client.send(new HeadBucketCommand({ Bucket: config.bucket })).catch(async () => {
      await client.send(new CreateBucketCommand({ Bucket: config.bucket }));
    });
  } finally {
    client.destroy();
  }
}

/** The raw SDK path the benchmark compares Strata with: lib-storage Upload and GetObject, nothing else. */
export function rawS3(config: S3ArtifactStoreConfig) {
  const client = createS3Client(config);
  return {
    async upload(path: string, key: string): Promise<void> {
      const { createReadStream } = await import('node:fs');
      const { Upload } = await import('@aws-sdk/lib-storage');
      const params = {
        Bucket: config.bucket,
        Key: key,
        Body: createReadStream(path, { highWaterMark: 1 << 20 }),
      };
      await new Upload({
        client,
        params,
        partSize: config.partSizeMiB * 1024 * 1024,
        queueSize: config.concurrency,
      }).done();
    },
    async download(key: string): Promise<NodeJS.ReadableStream> {
      const { GetObjectCommand } = await import('@aws-sdk/client-s3');
      return (await client.send(new GetObjectCommand({ Bucket: config.bucket, Key: key })))
        .Body as NodeJS.ReadableStream;
    },
    async remove(key: string): Promise<void> {
      const { DeleteObjectCommand } = await import('@aws-sdk/client-s3');
      await client.send(new DeleteObjectCommand({ Bucket: config.bucket, Key: key }));
    },
  };
}
