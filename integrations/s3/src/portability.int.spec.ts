import { describePortability } from '@strata/testing';
// The quickstart itself (penguins, random forest), unchanged: only the stack differs.
import { quickstart } from '@strata-examples/quickstart/pipeline';
import { createS3ArtifactStore } from './client.js';
import { ensureS3Bucket, s3TestConfig } from './test-server.js';

const config = s3TestConfig();
await ensureS3Bucket(config);

describePortability('s3', {
  pipeline: quickstart,
  outputs: ['evaluate.accuracy', 'load_penguins.rows', 'split.test', 'split.train', 'train.model'],
  create: () => createS3ArtifactStore({ ...config, prefix: `portability-${Date.now()}` }),
});
