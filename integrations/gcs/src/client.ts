import { IdempotencyStrategy, Storage } from '@google-cloud/storage';
import { GcsArtifactStore } from './artifact-store.js';
import type { GcsArtifactStoreConfig } from './flavor.js';

type ClientInput = Pick<
  GcsArtifactStoreConfig,
  'projectId' | 'endpoint' | 'keyFilename' | 'clientEmail' | 'privateKey' | 'maxAttempts'
>;

/**
 * The SDK client. Retries: the SDK's own retry (exponential backoff plus up to 1 s of random jitter)
 * on 408, 429, 5xx and connection resets, up to `maxAttempts` tries, the rule of core's
 * object-store-retry.ts that the s3 and azure stores follow too; every Strata write is idempotent
 * (content-addressed), so all operations may retry.
 * With a custom endpoint (an emulator) the SDK skips authentication.
 */
export function createGcsClient(config: ClientInput): Storage {
  return new Storage({
    ...(config.projectId
      ? { projectId: config.projectId }
      : config.endpoint
        ? { projectId: 'strata-emulator' }
        : {}),
    ...(config.endpoint ? { apiEndpoint: config.endpoint } : {}),
    ...(config.keyFilename ? { keyFilename: config.keyFilename } : {}),
    ...(config.clientEmail && config.privateKey
      ? { credentials: { client_email: config.clientEmail, private_key: config.privateKey } }
      : {}),
    retryOptions: {
      autoRetry: true,
      maxRetries: config.maxAttempts - 1,
      retryDelayMultiplier: 2,
      maxRetryDelay: 16,
      totalTimeout: 600,
      idempotencyStrategy: IdempotencyStrategy.RetryAlways,
    },
  });
}

export function createGcsArtifactStore(config: GcsArtifactStoreConfig): GcsArtifactStore {
  return new GcsArtifactStore({
    storage: createGcsClient(config),
    bucket: config.bucket,
    prefix: config.prefix,
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    chunkSize: config.chunkSizeMiB * 1024 * 1024,
    resumableThreshold: config.resumableThresholdMiB * 1024 * 1024,
    uploadAttempts: config.maxAttempts,
  });
}
