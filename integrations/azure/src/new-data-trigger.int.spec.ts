import { describeNewDataTriggerSuite } from '@strata/testing';
import { createBlobServiceClient } from './client.js';
import { azureSourceFingerprinter } from './source-fingerprint.js';
import { azureTestConfig, ensureAzureContainer } from './test-server.js';

const config = azureTestConfig();

describeNewDataTriggerSuite('az:// (loopback Azurite)', async () => {
  await ensureAzureContainer(config);
  const container = createBlobServiceClient(config).getContainerClient(config.container);
  return {
    fingerprinter: azureSourceFingerprinter,
    store: { flavor: 'azure', config: config as unknown as Record<string, unknown> },
    root: `az://${config.container}`,
    unreachable: `az://no-such-container-${Date.now().toString(36)}/incoming/`,
    put: async (key, body) => {
      await container.getBlockBlobClient(key).upload(body, Buffer.byteLength(body));
    },
  };
});
