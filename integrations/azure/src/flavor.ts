import { defineFlavor, definePlugin, objectStoreRetryConfig, secret } from '@strata/core/plugin';
import { z } from 'zod';
import { azureSourceFingerprinter } from './source-fingerprint.js';
import { azureSourceReader } from './source-reader.js';

export const azureArtifactStoreConfig = z.object({
  container: z
    .string()
    .regex(
      /^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/,
      'must be an Azure container name (3-63 lowercase letters, digits or single "-")',
    )
    .describe('blob container that holds the artifacts'),
  prefix: z.string().default('').describe('blob name prefix inside the container, e.g. "team-a/strata"'),
  accountName: z
    .string()
    .min(1)
    .optional()
    .describe(
      "storage account; with accountKey or sasToken, or alone to sign in with Microsoft Entra ID (@azure/identity's DefaultAzureCredential)",
    ),
  endpoint: z
    .url()
    .optional()
    .describe('blob endpoint, e.g. https://ACCOUNT.blob.core.windows.net or an Azurite URL'),
  connectionString: secret(z.string().min(1))
    .optional()
    .describe('connection string, usually {{secret.NAME.KEY}}; default: AZURE_STORAGE_CONNECTION_STRING'),
  accountKey: secret(z.string().min(1))
    .optional()
    .describe('shared account key, usually {{secret.NAME.KEY}}'),
  sasToken: secret(z.string().min(1)).optional().describe('SAS token, usually {{secret.NAME.KEY}}'),
  ...objectStoreRetryConfig,
  blockSizeMiB: z.number().int().min(1).max(4000).default(8).describe('block size for staged uploads'),
  concurrency: z.number().int().min(1).max(64).default(4).describe('blocks uploaded at once'),
  uploadMode: z
    .enum(['spool', 'staged'])
    .default('staged')
    .describe(
      'staged: upload large artifacts while hashing to a staging blob, then Copy Blob to the content address (instant within an account); spool: hash into a local file first, then upload',
    ),
});

export type AzureArtifactStoreConfig = z.output<typeof azureArtifactStoreConfig>;

export const azureArtifactStoreFlavor = defineFlavor({
  type: 'artifact_store',
  name: 'azure',
  description:
    'Azure Blob Storage; staged blocks committed atomically, MD5 checks where the service offers them.',
  config: azureArtifactStoreConfig.refine(
    (c) =>
      c.connectionString !== undefined ||
      c.accountName !== undefined ||
      process.env.AZURE_STORAGE_CONNECTION_STRING !== undefined,
    {
      message:
        'give connectionString, or accountName (with accountKey or sasToken, or alone for DefaultAzureCredential), or set AZURE_STORAGE_CONNECTION_STRING',
      path: ['accountName'],
    },
  ),
  async load() {
    const { openAzureArtifactStore } = await import('./client.js');
    return (config) => openAzureArtifactStore(config);
  },
});

export const azurePlugin = definePlugin('@strata/azure', [azureArtifactStoreFlavor], {
  sourceFingerprinters: [azureSourceFingerprinter],
  sourceReaders: [azureSourceReader],
});
