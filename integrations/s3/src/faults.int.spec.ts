import { describeStoreUnderFaults } from '@strata/testing';
import { createS3ArtifactStore } from './client.js';
import { ensureS3Bucket, s3TestConfig } from './test-server.js';

const config = s3TestConfig();
await ensureS3Bucket(config);

describeStoreUnderFaults('s3', {
  target: config.endpoint!,
  create: (endpoint, prefix, attempts) =>
    createS3ArtifactStore({ ...config, endpoint, prefix, maxAttempts: attempts, partSizeMiB: 5 }),
});

// Staged uploads add a CopyObject and a staging delete to every large write: the same faults apply.
describeStoreUnderFaults('s3-staged', {
  target: config.endpoint!,
  create: (endpoint, prefix, attempts) =>
    createS3ArtifactStore({
      ...config,
      endpoint,
      prefix,
      maxAttempts: attempts,
      partSizeMiB: 5,
      uploadMode: 'staged',
    }),
});
