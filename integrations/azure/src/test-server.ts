import { createBlobServiceClient } from './client.js';
import type { AzureArtifactStoreConfig } from './flavor.js';

/** The loopback Azurite of scripts/services/azure.sh; fails loudly when its env is missing. */
export function azureTestConfig(overrides: Partial<AzureArtifactStoreConfig> = {}): AzureArtifactStoreConfig {
  const connectionString = process.env.STRATA_TEST_AZURE_CONNECTION_STRING;
  if (!connectionString) {
    throw new Error(
      'STRATA_TEST_AZURE_CONNECTION_STRING is not set: run `bash scripts/services/all.sh azure && source .services/env`',
    );
  }
  return {
    container: 'strata-test',
    prefix: '',
    connectionString,
    maxAttempts: 8,
    blockSizeMiB: 8,
    concurrency: 4,
    uploadMode: 'staged',
    ...overrides,
  };
}

/** Parts of the Azurite connection string, for configs that use accountName/accountKey/endpoint. */
export function azuriteAccount(): { accountName: string; accountKey: string; endpoint: string } {
  const parts = Object.fromEntries(
    azureTestConfig()
      .connectionString!.split(';')
      .filter(Boolean)
      .map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]),
  ) as Record<string, string>;
  return { accountName: parts.AccountName!, accountKey: parts.AccountKey!, endpoint: parts.BlobEndpoint! };
}

export async function ensureAzureContainer(config: AzureArtifactStoreConfig): Promise<void> {
  await createBlobServiceClient(config).getContainerClient(config.container).createIfNotExists();
}

/** The raw SDK path the benchmark compares Strata with: uploadFile (parallel blocks) and download. */
export function rawAzure(config: AzureArtifactStoreConfig) {
  const container = createBlobServiceClient(config).getContainerClient(config.container);
  return {
    async upload(path: string, key: string): Promise<void> {
      await container
        .getBlockBlobClient(key)
        .uploadFile(path, { blockSize: config.blockSizeMiB * 1024 * 1024, concurrency: config.concurrency });
    },
    async download(key: string): Promise<NodeJS.ReadableStream> {
      return (await container.getBlockBlobClient(key).download()).readableStreamBody!;
    },
    async remove(key: string): Promise<void> {
      await container.getBlockBlobClient(key).deleteIfExists();
    },
  };
}
