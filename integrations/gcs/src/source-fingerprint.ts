import { type SourceFingerprinter, StrataError, splitObjectUri } from '@strata/core';
import { listingFingerprint } from '@strata/core/plugin';
import type { GcsArtifactStoreConfig } from './flavor.js';

/**
 * `gs://bucket/object` and `gs://bucket/prefix/` sources, fingerprinted from object metadata (the
 * generation, which changes on every overwrite, and the MD5) without downloading. With a gcs artifact
 * store on the stack its endpoint and credentials are reused; otherwise the SDK's own chain
 * (GOOGLE_APPLICATION_CREDENTIALS, STORAGE_EMULATOR_HOST).
 */
export const gcsSourceFingerprinter: SourceFingerprinter = {
  schemes: ['gs'],
  storeFlavor: 'gcs',
  async fingerprint(spec, context) {
    const { createGcsClient } = await import('./client.js');
    const config = (context.storeConfig ?? {}) as Partial<GcsArtifactStoreConfig>;
    const storage = createGcsClient({
      ...config,
      maxAttempts: config.maxAttempts ?? 3,
    } as GcsArtifactStoreConfig);
    const { container, key } = splitObjectUri(spec.uri);
    const bucket = storage.bucket(container);
    try {
      if (key !== '' && !key.endsWith('/') && spec.glob === undefined) {
        const file = bucket.file(key);
        const [exists] = await file.exists();
        if (exists) {
          const [meta] = await file.getMetadata();
          return {
            uri: spec.uri,
            scheme: 'gs',
            digest: `generation:${meta.generation}`,
            size: Number(meta.size ?? 0),
            count: 1,
            details: {
              generation: String(meta.generation),
              ...(meta.md5Hash ? { md5: meta.md5Hash } : {}),
              ...(meta.updated ? { updated: meta.updated } : {}),
            },
          };
        }
      }
      const prefix = key === '' || key.endsWith('/') ? key : `${key}/`;
      const [files] = await bucket.getFiles({ prefix, autoPaginate: true });
      return listingFingerprint(
        spec,
        'gs',
        files.map((f) => ({
          name: f.name.slice(prefix.length),
          etag: `${f.metadata.generation}:${f.metadata.md5Hash ?? ''}`,
          size: Number(f.metadata.size ?? 0),
        })),
      );
    } catch (error) {
      if (error instanceof StrataError) throw error;
      throw new StrataError(`source ${spec.uri} cannot be read: ${(error as Error).message}`, {
        code: 'source_unreachable',
        field: 'source',
        value: spec.uri,
        fix: 'check the bucket, the object name and the credentials (the gcs artifact store of the stack, or the SDK chain)',
        cause: error,
      });
    }
  },
};
