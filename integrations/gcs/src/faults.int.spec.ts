import { describeStoreUnderFaults } from '@strata/testing';
import { createGcsArtifactStore } from './client.js';
import { ensureGcsBucket, gcsTestConfig } from './test-server.js';

const config = gcsTestConfig();
await ensureGcsBucket(config);

describeStoreUnderFaults('gcs', {
  target: config.endpoint!,
  create: (endpoint, prefix, attempts) =>
    createGcsArtifactStore({
      ...config,
      endpoint,
      prefix,
      maxAttempts: attempts,
      chunkSizeMiB: 4,
      resumableThresholdMiB: 4,
    }),
});
