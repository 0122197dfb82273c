import { type FingerprintContext, type SourceFingerprinter, StrataError, splitObjectUri } from '@strata/core';
import { listingFingerprint } from '@strata/core/plugin';
import type { S3ArtifactStoreConfig } from './flavor.js';

/**
 * `s3://bucket/key` and `s3://bucket/prefix/` sources, fingerprinted from S3's own version metadata
 * (HeadObject's ETag and VersionId; ListObjectsV2's ETags for a prefix) without downloading. With an
 * s3 artifact store on the stack its endpoint and credentials are reused; otherwise the SDK's chain
 * (AWS_ENDPOINT_URL, AWS_REGION, profiles) applies.
 */
export const s3SourceFingerprinter: SourceFingerprinter = {
  schemes: ['s3'],
  storeFlavor: 's3',
  async fingerprint(spec, context) {
    const { createS3Client } = await import('./client.js');
    const { HeadObjectCommand, ListObjectsV2Command } = await import('@aws-sdk/client-s3');
    const config = (context.storeConfig ?? {}) as Partial<S3ArtifactStoreConfig>;
    const endpoint = config.endpoint ?? process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL;
    const client = createS3Client({
      ...config,
      ...(endpoint ? { endpoint } : {}),
      forcePathStyle: config.forcePathStyle ?? endpoint !== undefined,
      maxAttempts: config.maxAttempts ?? 3,
    } as S3ArtifactStoreConfig);
    const { container: bucket, key } = splitObjectUri(spec.uri);
    try {
      if (key !== '' && !key.endsWith('/') && spec.glob === undefined) {
        try {
          const head = await client.send(
            new HeadObjectCommand({ Bucket: bucket, Key: key }),
            signalOf(context),
          );
          return {
            uri: spec.uri,
            scheme: 's3',
            digest: head.VersionId ? `version:${head.VersionId}` : `etag:${head.ETag ?? ''}`,
            size: head.ContentLength ?? 0,
            count: 1,
            details: {
              ...(head.ETag ? { etag: head.ETag } : {}),
              ...(head.VersionId ? { versionId: head.VersionId } : {}),
              ...(head.LastModified ? { lastModified: head.LastModified.toISOString() } : {}),
            },
          };
        } catch (error) {
          if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode !== 404)
            throw error;
        }
      }
      const prefix = key === '' || key.endsWith('/') ? key : `${key}/`;
      const listed: { name: string; etag: string; size: number }[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({
            Bucket: bucket,
            Prefix: prefix,
            ...(token ? { ContinuationToken: token } : {}),
          }),
          signalOf(context),
        );
        for (const o of page.Contents ?? []) {
          listed.push({ name: o.Key!.slice(prefix.length), etag: o.ETag ?? '', size: o.Size ?? 0 });
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return listingFingerprint(spec, 's3', listed);
    } catch (error) {
      if (error instanceof StrataError) throw error;
      throw new StrataError(
        `source ${spec.uri} cannot be read: ${(error as Error).name}: ${(error as Error).message}`,
        {
          code: 'source_unreachable',
          field: 'source',
          value: spec.uri,
          fix: 'check the bucket, the key and the credentials (the s3 artifact store of the stack, or the SDK chain)',
          cause: error,
        },
      );
    } finally {
      client.destroy();
    }
  },
};

function signalOf(context: FingerprintContext) {
  return context.signal ? { abortSignal: context.signal } : {};
}
