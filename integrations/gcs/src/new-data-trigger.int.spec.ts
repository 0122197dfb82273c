import { describeNewDataTriggerSuite } from '@strata/testing';
import { createGcsClient } from './client.js';
import { gcsSourceFingerprinter } from './source-fingerprint.js';
import { ensureGcsBucket, gcsTestConfig } from './test-server.js';

const config = gcsTestConfig();

describeNewDataTriggerSuite('gs:// (loopback fake-gcs-server)', async () => {
  await ensureGcsBucket(config);
  const bucket = createGcsClient(config).bucket(config.bucket);
  return {
    fingerprinter: gcsSourceFingerprinter,
    store: { flavor: 'gcs', config: config as unknown as Record<string, unknown> },
    root: `gs://${config.bucket}`,
    unreachable: `gs://no-such-bucket-${Date.now().toString(36)}/incoming/`,
    put: async (key, body) => {
      await bucket.file(key).save(body, { resumable: false });
    },
  };
});
