import { S3Client } from '@aws-sdk/client-s3';
import { S3ArtifactStore } from './artifact-store.js';
import type { S3ArtifactStoreConfig } from './flavor.js';

type ClientInput = Pick<
  S3ArtifactStoreConfig,
  | 'region'
  | 'endpoint'
  | 'forcePathStyle'
  | 'accessKeyId'
  | 'secretAccessKey'
  | 'sessionToken'
  | 'maxAttempts'
>;

/**
 * The SDK client. Retries: the SDK's standard strategy (exponential backoff with full jitter, the rule
 * of core's object-store-retry.ts that the azure and gcs stores follow too) retries throttling (429,
 * SlowDown), 5xx, timeouts and connection resets up to `maxAttempts` times; 4xx such as AccessDenied
 * or NoSuchBucket fail at once. Credentials come from the config or the SDK's own chain.
 */
export function createS3Client(config: ClientInput): S3Client {
  return new S3Client({
    ...(config.region ? { region: config.region } : {}),
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    forcePathStyle: config.forcePathStyle,
    ...(config.accessKeyId && config.secretAccessKey
      ? {
          credentials: {
            accessKeyId: config.accessKeyId,
            secretAccessKey: config.secretAccessKey,
            ...(config.sessionToken ? { sessionToken: config.sessionToken } : {}),
          },
        }
      : {}),
    maxAttempts: config.maxAttempts,
    retryMode: 'standard',
    requestHandler: { connectionTimeout: 10_000, requestTimeout: 120_000 },
  });
}

export function createS3ArtifactStore(config: S3ArtifactStoreConfig): S3ArtifactStore {
  return new S3ArtifactStore({
    client: createS3Client(config),
    bucket: config.bucket,
    prefix: config.prefix,
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    partSize: config.partSizeMiB * 1024 * 1024,
    concurrency: config.concurrency,
    uploadMode: config.uploadMode,
  });
}
