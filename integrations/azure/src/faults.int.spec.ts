import { describeStoreUnderFaults } from '@strata/testing';
import { createAzureArtifactStore } from './client.js';
import { azureTestConfig, azuriteAccount, ensureAzureContainer } from './test-server.js';

const config = azureTestConfig();
await ensureAzureContainer(config);
const { accountName, accountKey, endpoint: blobEndpoint } = azuriteAccount();
const url = new URL(blobEndpoint);

describeStoreUnderFaults('azure', {
  target: url.origin,
  create: (proxy, prefix, attempts) =>
    createAzureArtifactStore({
      container: config.container,
      prefix,
      accountName,
      accountKey,
      endpoint: `${proxy}${url.pathname}`,
      maxAttempts: attempts,
      blockSizeMiB: 4,
      concurrency: 4,
      uploadMode: 'staged',
    }),
});
