import { createGcsClient } from './client.js';
import type { GcsArtifactStoreConfig } from './flavor.js';

/** The loopback fake-gcs-server of scripts/services/gcs.sh; fails loudly when its env is missing. */
export function gcsTestConfig(overrides: Partial<GcsArtifactStoreConfig> = {}): GcsArtifactStoreConfig {
  const endpoint = process.env.STRATA_TEST_GCS_ENDPOINT;
  if (!endpoint)
    throw new Error(
      'STRATA_TEST_GCS_ENDPOINT is not set: run `bash scripts/services/all.sh gcs && source .services/env`',
    );
  return {
    bucket: 'strata-test',
    prefix: '',
    endpoint,
    projectId: 'strata-test',
    maxAttempts: 8,
    chunkSizeMiB: 8,
    resumableThresholdMiB: 8,
    ...overrides,
  };
}

export async function ensureGcsBucket(config: GcsArtifactStoreConfig): Promise<void> {
  const bucket = createGcsClient(config).bucket(config.bucket);
  const [exists] = await bucket.exists();
  if (!exists) await bucket.create();
}

/** The raw SDK path the benchmark compares Strata with: bucket.upload (resumable) and createReadStream. */
export function rawGcs(config: GcsArtifactStoreConfig) {
  const bucket = createGcsClient(config).bucket(config.bucket);
  return {
    async upload(path: string, key: string): Promise<void> {
      await bucket.upload(path, {
        destination: key,
        resumable: true,
        chunkSize: config.chunkSizeMiB * 1024 * 1024,
      });
    },
    async download(key: string): Promise<NodeJS.ReadableStream> {
      return bucket.file(key).createReadStream();
    },
    async remove(key: string): Promise<void> {
      await bucket.file(key).delete({ ignoreNotFound: true });
    },
  };
}
