import { describePortability } from '@strata/testing';
// The quickstart itself (penguins, random forest), unchanged: only the stack differs.
import { quickstart } from '@strata-examples/quickstart/pipeline';
import { createAzureArtifactStore } from './client.js';
import { azureTestConfig, ensureAzureContainer } from './test-server.js';

const config = azureTestConfig();
await ensureAzureContainer(config);

describePortability('azure', {
  pipeline: quickstart,
  outputs: ['evaluate.accuracy', 'load_penguins.rows', 'split.test', 'split.train', 'train.model'],
  create: () => createAzureArtifactStore({ ...config, prefix: `portability-${Date.now()}` }),
});
