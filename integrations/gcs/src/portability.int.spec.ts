import { describePortability } from '@strata/testing';
// The quickstart itself (penguins, random forest), unchanged: only the stack differs.
import { quickstart } from '@strata-examples/quickstart/pipeline';
import { createGcsArtifactStore } from './client.js';
import { ensureGcsBucket, gcsTestConfig } from './test-server.js';

const config = gcsTestConfig();
await ensureGcsBucket(config);

describePortability('gcs', {
  pipeline: quickstart,
  outputs: ['evaluate.accuracy', 'load_penguins.rows', 'split.test', 'split.train', 'train.model'],
  create: () => createGcsArtifactStore({ ...config, prefix: `portability-${Date.now()}` }),
});
