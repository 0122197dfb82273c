import {
  defineFlavor,
  definePlugin,
  givenTogether,
  objectStoreRetryConfig,
  secret,
} from '@strata/core/plugin';
import { z } from 'zod';
import { s3SourceFingerprinter } from './source-fingerprint.js';
import { s3SourceReader } from './source-reader.js';

export const s3ArtifactStoreConfig = z.object({
  bucket: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
      'must be an S3 bucket name (3-63 lowercase letters, digits, "." or "-")',
    )
    .describe('bucket that holds the artifacts'),
  prefix: z.string().default('').describe('key prefix inside the bucket, e.g. "team-a/strata"'),
  region: z.string().min(1).optional().describe("AWS region; default: the SDK's chain (AWS_REGION, profile)"),
  endpoint: z.url().optional().describe('endpoint of an S3-compatible server (MinIO, versitygw, ...)'),
  forcePathStyle: z
    .boolean()
    .default(false)
    .describe('path-style URLs (http://host/bucket/key), needed by most S3-compatible servers'),
  accessKeyId: secret(z.string().min(1))
    .optional()
    .describe("access key id, usually {{secret.NAME.KEY}}; default: the SDK's credential chain"),
  secretAccessKey: secret(z.string().min(1))
    .optional()
    .describe('secret access key, usually {{secret.NAME.KEY}}'),
  sessionToken: secret(z.string().min(1)).optional().describe('session token for temporary credentials'),
  ...objectStoreRetryConfig,
  partSizeMiB: z.number().int().min(5).max(5120).default(16).describe('multipart part size'),
  concurrency: z.number().int().min(1).max(64).default(4).describe('parts uploaded at once'),
  uploadMode: z
    .enum(['spool', 'staged'])
    .default('spool')
    .describe(
      'spool: hash large artifacts into a local file, then upload; staged: upload while hashing to a staging key, then CopyObject (no local disk pass, but the server writes the bytes twice)',
    ),
});

export type S3ArtifactStoreConfig = z.output<typeof s3ArtifactStoreConfig>;

export const s3ArtifactStoreFlavor = defineFlavor({
  type: 'artifact_store',
  name: 's3',
  description: 'Amazon S3 or an S3-compatible server; multipart uploads, atomic publish.',
  config: givenTogether(
    s3ArtifactStoreConfig,
    ['accessKeyId', 'secretAccessKey'],
    'the SDK credential chain',
  ),
  async load() {
    const { createS3ArtifactStore } = await import('./client.js');
    return (config) => createS3ArtifactStore(config);
  },
});

export const s3Plugin = definePlugin('@strata/s3', [s3ArtifactStoreFlavor], {
  sourceFingerprinters: [s3SourceFingerprinter],
  sourceReaders: [s3SourceReader],
});
