import type { TokenCredential } from '@azure/identity';
import {
  AnonymousCredential,
  BlobServiceClient,
  newPipeline,
  StorageSharedKeyCredential,
} from '@azure/storage-blob';
import { StrataError } from '@strata/core';
import { AzureArtifactStore } from './artifact-store.js';
import { useFastGets } from './fast-get.js';
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
 * `fastGets`: plain-HTTP GETs go through FastGetClient (fast-get.ts); everything else is unchanged.
 */
export function createBlobServiceClient(
  config: ClientInput,
  token?: TokenCredential,
  options: { fastGets?: boolean } = {},
): BlobServiceClient {
  const client = createSdkClient(config, token);
  const pipeline = newPipeline(client.credential, { retryOptions: { maxTries: 1, tryTimeoutInMs: 120_000 } });
  pipeline.factories.push(retryPolicyFactory({ maxAttempts: config.maxAttempts }));
  if (options.fastGets) useFastGets(pipeline, () => new BlobServiceClient(client.url, pipeline));
  // client.url keeps a SAS token given in the connection string or sasToken.
  return new BlobServiceClient(client.url, pipeline);
}

/** Whether `config` names an account but no key, SAS or connection string: Microsoft Entra ID then. */
export function usesTokenCredential(
  config: Pick<ClientInput, 'connectionString' | 'accountName' | 'accountKey' | 'sasToken'>,
): boolean {
  return (
    config.connectionString === undefined &&
    config.accountName !== undefined &&
    config.accountKey === undefined &&
    config.sasToken === undefined
  );
}

/**
 * A client built the SDK's way (it parses connection strings), whose url and credential are reused.
 * With only an account name: `token` (DefaultAzureCredential from the flavor), else anonymous access.
 */
function createSdkClient(config: ClientInput, token?: TokenCredential): BlobServiceClient {
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
  if (token && usesTokenCredential(config)) return new BlobServiceClient(endpoint, token);
  const sas = config.sasToken ? `?${config.sasToken.replace(/^\?/, '')}` : '';
  return new BlobServiceClient(`${endpoint}${sas}`, new AnonymousCredential());
}

/**
 * The store as a stack builds it: with an account name but no key, SAS or connection string, the
 * credential is @azure/identity's DefaultAzureCredential (environment, workload or managed identity,
 * Azure CLI, ...), loaded only then.
 */
export async function openAzureArtifactStore(config: AzureArtifactStoreConfig): Promise<AzureArtifactStore> {
  if (!usesTokenCredential(config)) return createAzureArtifactStore(config);
  const { DefaultAzureCredential } = await import('@azure/identity');
  return createAzureArtifactStore(config, new DefaultAzureCredential());
}

export function createAzureArtifactStore(
  config: AzureArtifactStoreConfig,
  token?: TokenCredential,
): AzureArtifactStore {
  return new AzureArtifactStore({
    // The store's client reads plain-HTTP GET bodies without node:http (fast-get.ts).
    service: createBlobServiceClient(config, token, { fastGets: true }),
    container: config.container,
    prefix: config.prefix,
    blockSize: config.blockSizeMiB * 1024 * 1024,
    concurrency: config.concurrency,
    uploadMode: config.uploadMode,
  });
}
