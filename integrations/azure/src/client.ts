import {
  AnonymousCredential,
  BlobServiceClient,
  StorageRetryPolicyType,
  StorageSharedKeyCredential,
} from '@azure/storage-blob';
import { StrataError } from '@strata/core';
import { AzureArtifactStore } from './artifact-store.js';
import type { AzureArtifactStoreConfig } from './flavor.js';

type ClientInput = Pick<
  AzureArtifactStoreConfig,
  'accountName' | 'endpoint' | 'connectionString' | 'accountKey' | 'sasToken' | 'maxAttempts'
>;

/**
 * The SDK client. Retries: the SDK's exponential policy retries 500/503 (Azure's throttling answer is
 * 503 ServerBusy), timeouts and connection resets up to `maxAttempts` tries (its primary-endpoint backoff
 * has no jitter). 4xx such as AuthenticationFailed or ContainerNotFound fail at once.
 */
export function createBlobServiceClient(config: ClientInput): BlobServiceClient {
  const options = {
    retryOptions: {
      maxTries: config.maxAttempts,
      retryPolicyType: StorageRetryPolicyType.EXPONENTIAL,
      retryDelayInMs: 200,
      maxRetryDelayInMs: 10_000,
      tryTimeoutInMs: 120_000,
    },
  };
  const connectionString =
    config.connectionString ?? (config.accountName ? undefined : process.env.AZURE_STORAGE_CONNECTION_STRING);
  if (connectionString) return BlobServiceClient.fromConnectionString(connectionString, options);
  if (!config.accountName) {
    throw new StrataError('the azure artifact store has no credentials', {
      code: 'invalid_config',
      field: 'connectionString',
      value: undefined,
      fix: 'set connectionString (a {{secret.NAME.KEY}} reference), or accountName with accountKey or sasToken',
    });
  }
  const endpoint = (config.endpoint ?? `https://${config.accountName}.blob.core.windows.net`).replace(
    /\/$/,
    '',
  );
  if (config.accountKey) {
    return new BlobServiceClient(
      endpoint,
      new StorageSharedKeyCredential(config.accountName, config.accountKey),
      options,
    );
  }
  const sas = config.sasToken ? `?${config.sasToken.replace(/^\?/, '')}` : '';
  return new BlobServiceClient(`${endpoint}${sas}`, new AnonymousCredential(), options);
}

export function createAzureArtifactStore(config: AzureArtifactStoreConfig): AzureArtifactStore {
  return new AzureArtifactStore({
    service: createBlobServiceClient(config),
    container: config.container,
    prefix: config.prefix,
    blockSize: config.blockSizeMiB * 1024 * 1024,
    concurrency: config.concurrency,
  });
}
