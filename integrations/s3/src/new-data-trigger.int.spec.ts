import { PutObjectCommand } from '@aws-sdk/client-s3';
import { describeNewDataTriggerSuite } from '@strata/testing';
import { afterAll } from 'vitest';
import { createS3Client } from './client.js';
import { s3SourceFingerprinter } from './source-fingerprint.js';
import { ensureS3Bucket, s3TestConfig } from './test-server.js';

const config = s3TestConfig();
const client = createS3Client(config);
afterAll(() => client.destroy());

describeNewDataTriggerSuite('s3:// (loopback S3 server)', async () => {
  await ensureS3Bucket(config);
  return {
    fingerprinter: s3SourceFingerprinter,
    store: { flavor: 's3', config: config as unknown as Record<string, unknown> },
    root: `s3://${config.bucket}`,
    unreachable: `s3://no-such-bucket-${Date.now().toString(36)}/incoming/`,
    put: async (key, body) => {
      await client.send(new PutObjectCommand({ Bucket: config.bucket, Key: key, Body: body }));
    },
  };
});
