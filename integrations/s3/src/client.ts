import { S3Client } from '@aws-sdk/client-s3';
import { S3ArtifactStore } from './artifact-store.js';
import { FastGetHandler, type HttpHandlerLike } from './fast-get.js';
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
 * `fastGets`: plain-HTTP GETs go through FastGetHandler (fast-get.ts); everything else is unchanged.
 */
export function createS3Client(config: ClientInput, options: { fastGets?: boolean } = {}): S3Client {
  // Under Node 20 the SDK's first client warns, in every process (each run, worker and step container),
  // that its releases after January 2027 will need Node 22. The release in Strata's lockfile runs on
  // Node 20, and the warning cut into every run's output (docs/artifact-stores.md says so once). A value
  // the user set is kept: AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=false shows it again.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const client = new S3Client({
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
    requestHandler: { connectionTimeout: CONNECTION_TIMEOUT, requestTimeout: REQUEST_TIMEOUT },
  });
  if (options.fastGets) {
    const resolved = client.config as unknown as { requestHandler: HttpHandlerLike };
    resolved.requestHandler = new FastGetHandler(resolved.requestHandler, {
      connectionTimeout: CONNECTION_TIMEOUT,
      requestTimeout: REQUEST_TIMEOUT,
    });
  }
  return client;
}

const CONNECTION_TIMEOUT = 10_000;
const REQUEST_TIMEOUT = 120_000;

export function createS3ArtifactStore(config: S3ArtifactStoreConfig): S3ArtifactStore {
  return new S3ArtifactStore({
    // The store's client reads plain-HTTP GET bodies without node:http (fast-get.ts).
    client: createS3Client(config, { fastGets: true }),
    bucket: config.bucket,
    prefix: config.prefix,
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    partSize: config.partSizeMiB * 1024 * 1024,
    concurrency: config.concurrency,
    uploadMode: config.uploadMode,
  });
}
