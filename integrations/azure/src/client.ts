import {
  AnonymousCredential,
  BlobServiceClient,
  newPipeline,
  StorageSharedKeyCredential,
} from '@azure/storage-blob';
import { StrataError } from '@strata/core';
import { AzureArtifactStore } from './artifact-store.js';
import type { AzureArtifactStoreConfig } from './flavor.js';
import { retryPolicyFactory } from './retry.js';

type ClientInput = Pick<
  AzureArtifactStoreConfig,
  'accountName' | 'endpoint' | 'connectionString' | 'accountKey' | 'sasToken' | 'maxAttempts'
>;

/**
 * The SDK client. Retries: Strata's policy (retry.ts) retries 408, 429, 5xx (Azure throttles with 503
 * ServerBusy), timeouts and connection resets up to `maxAttempts` tries with exponential backoff and
 * full jitter, like the S3 and GCS SDKs; the SDK's own policy (no jitter, no 429) is kept at one try.
 * 4xx such as AuthenticationFailed or ContainerNotFound fail at once.
 */
export function createBlobServiceClient(config: ClientInput): BlobServiceClient {
  const client = createSdkClient(config);
  const pipeline = newPipeline(client.credential, { retryOptions: { maxTries: 1, tryTimeoutInMs: 120_000 } });
  pipeline.factories.push(retryPolicyFactory({ maxAttempts: config.maxAttempts }));
  // client.url keeps a SAS token given in the connection string or sasToken.
  return new BlobServiceClient(client.url, pipeline);
}

/** A client built the SDK's way (it parses connection strings), whose url and credential are reused. */
function createSdkClient(config: ClientInput): BlobServiceClient {
  const connectionString =
    config.connectionString ?? (config.accountName ? undefined : process.env.AZURE_STORAGE_CONNECTION_STRING);
  if (connectionString) return BlobServiceClient.fromConnectionString(connectionString);
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
    );
  }
  const sas = config.sasToken ? `?${config.sasToken.replace(/^\?/, '')}` : '';
  return new BlobServiceClient(`${endpoint}${sas}`, new AnonymousCredential());
}

export function createAzureArtifactStore(config: AzureArtifactStoreConfig): AzureArtifactStore {
  return new AzureArtifactStore({
    service: createBlobServiceClient(config),
    container: config.container,
    prefix: config.prefix,
    blockSize: config.blockSizeMiB * 1024 * 1024,
    concurrency: config.concurrency,
    uploadMode: config.uploadMode,
  });
}
