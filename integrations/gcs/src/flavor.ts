import {
  defineFlavor,
  definePlugin,
  givenTogether,
  objectStoreRetryConfig,
  secret,
} from '@strata/core/plugin';
import { z } from 'zod';
import { gcsSourceFingerprinter } from './source-fingerprint.js';
import { gcsSourceReader } from './source-reader.js';

export const gcsArtifactStoreConfig = z.object({
  bucket: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/,
      'must be a GCS bucket name (lowercase letters, digits, ".", "_" or "-")',
    )
    .describe('bucket that holds the artifacts'),
  prefix: z.string().default('').describe('object name prefix inside the bucket, e.g. "team-a/strata"'),
  projectId: z
    .string()
    .min(1)
    .optional()
    .describe("Google Cloud project; default: the SDK's chain (GOOGLE_CLOUD_PROJECT, credentials)"),
  endpoint: z
    .url()
    .optional()
    .describe('API endpoint of an emulator such as fake-gcs-server (authentication is skipped)'),
  keyFilename: z
    .string()
    .min(1)
    .optional()
    .describe('service-account key file; default: Application Default Credentials'),
  clientEmail: z.string().min(1).optional().describe('service-account e-mail, with privateKey'),
  privateKey: secret(z.string().min(1))
    .optional()
    .describe('service-account private key, usually {{secret.NAME.KEY}}'),
  ...objectStoreRetryConfig,
  chunkSizeMiB: z
    .number()
    .int()
    .min(1)
    .max(1024)
    .default(16)
    .describe('resumable upload chunk size (a multiple of 256 KiB)'),
  resumableThresholdMiB: z
    .number()
    .int()
    .min(0)
    .default(8)
    .describe('objects at least this large use resumable uploads'),
});

export type GcsArtifactStoreConfig = z.output<typeof gcsArtifactStoreConfig>;

export const gcsArtifactStoreFlavor = defineFlavor({
  type: 'artifact_store',
  name: 'gcs',
  description: 'Google Cloud Storage; resumable uploads for large objects, atomic publish, CRC32C checks.',
  config: givenTogether(
    gcsArtifactStoreConfig,
    ['clientEmail', 'privateKey'],
    'Application Default Credentials',
  ),
  async load() {
    const { createGcsArtifactStore } = await import('./client.js');
    return (config) => createGcsArtifactStore(config);
  },
});

export const gcsPlugin = definePlugin('@strata/gcs', [gcsArtifactStoreFlavor], {
  sourceFingerprinters: [gcsSourceFingerprinter],
  sourceReaders: [gcsSourceReader],
});
