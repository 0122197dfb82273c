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
