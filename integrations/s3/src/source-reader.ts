import { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import { type StrataError, splitObjectUri } from '@strata/core';
import {
  pinnedListing,
  type SourceObject,
  type SourceReader,
  sourceChanged,
  sourceUnreachable,
} from '@strata/core/plugin';
import type { S3ArtifactStoreConfig } from './flavor.js';

/**
 * Reads `s3://` sources for ingest through the stack: the s3 artifact store's endpoint and
 * credentials (secret references resolved) when the stack has one, else the SDK's chain, as the
 * fingerprinter. A single object is read at its fingerprinted VersionId when the bucket is versioned
 * (the fingerprinted bytes even after an overwrite), else with If-Match on its ETag; a prefix is
 * listed again and must match its fingerprint, each object read with If-Match on the listed ETag.
 */
export const s3SourceReader: SourceReader = {
  schemes: ['s3'],
  storeFlavor: 's3',
  async objects(spec, fingerprint, context) {
    const client = await clientFor(context.storeConfig);
    const { container: bucket, key } = splitObjectUri(spec.uri);
    const details = fingerprint.details ?? {};
    if (fingerprint.digest.startsWith('version:') || fingerprint.digest.startsWith('etag:')) {
      const versionId = typeof details.versionId === 'string' ? details.versionId : undefined;
      const etag = typeof details.etag === 'string' ? details.etag : fingerprint.digest.slice(5);
      return [
        object(
          client,
          bucket,
          key,
          key.split('/').at(-1)!,
          fingerprint.size ?? 0,
          versionId ? { versionId } : { etag },
        ),
      ];
    }
    const prefix = key === '' || key.endsWith('/') ? key : `${key}/`;
    const listed: { name: string; etag: string; size: number }[] = [];
    let token: string | undefined;
    try {
      do {
        const sdk = await import('@aws-sdk/client-s3');
        const page = await client.send(
          new sdk.ListObjectsV2Command({
            Bucket: bucket,
            Prefix: prefix,
            ...(token ? { ContinuationToken: token } : {}),
          }),
          context.signal ? { abortSignal: context.signal } : {},
        );
        for (const o of page.Contents ?? [])
          listed.push({ name: o.Key!.slice(prefix.length), etag: o.ETag ?? '', size: o.Size ?? 0 });
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    } catch (error) {
      throw unreachable(spec.uri, error);
    }
    return pinnedListing(spec, 's3', listed, fingerprint).map((o) =>
      object(client, bucket, prefix + o.name, o.name, o.size, { etag: o.etag }),
    );
  },
};

/** One client per store config in this process (a step reads many ranges; clients pool sockets). */
const clients = new Map<string, Promise<S3Client>>();

function clientFor(storeConfig: Readonly<Record<string, unknown>> | undefined): Promise<S3Client> {
  const config = (storeConfig ?? {}) as Partial<S3ArtifactStoreConfig>;
  const id = JSON.stringify(config);
  let client = clients.get(id);
  if (!client) {
    client = import('./client.js').then(({ createS3Client }) => {
      const endpoint = config.endpoint ?? process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL;
      return createS3Client({
        ...config,
        ...(endpoint ? { endpoint } : {}),
        forcePathStyle: config.forcePathStyle ?? endpoint !== undefined,
        maxAttempts: config.maxAttempts ?? 3,
      } as S3ArtifactStoreConfig);
    });
    clients.set(id, client);
  }
  return client;
}

type Pin = { readonly versionId: string } | { readonly etag: string };

function object(
  client: S3Client,
  bucket: string,
  key: string,
  name: string,
  size: number,
  pin: Pin,
): SourceObject {
  const uri = `s3://${bucket}/${key}`;
  const get = async (range: string | undefined, signal?: AbortSignal) => {
    const { GetObjectCommand } = await import('@aws-sdk/client-s3');
    try {
      return await client.send(
        new GetObjectCommand({
          Bucket: bucket,
          Key: key,
          ...('versionId' in pin ? { VersionId: pin.versionId } : { IfMatch: pin.etag }),
          ...(range ? { Range: range } : {}),
        }),
        signal ? { abortSignal: signal } : {},
      );
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 412) throw sourceChanged(uri, 'the object was replaced (its ETag differs)', error);
      if (status === 404) throw sourceChanged(uri, 'the object (or its version) was deleted', error);
      throw unreachable(uri, error);
    }
  };
  return {
    uri,
    name,
    size,
    version: 'versionId' in pin ? `version:${pin.versionId}` : `etag:${pin.etag}`,
    async read(start, end, signal) {
      if (end <= start) return new Uint8Array(0);
      const got = await get(`bytes=${start}-${end - 1}`, signal);
      return got.Body!.transformToByteArray();
    },
    stream(signal) {
      return Readable.from(
        (async function* () {
          const got = await get(undefined, signal);
          yield* got.Body as Readable;
        })(),
        { objectMode: false },
      );
    },
  };
}

/** The SDK's error name and message (never the request, which carries the signature). */
function unreachable(uri: string, error: unknown): StrataError {
  return sourceUnreachable(
    uri,
    error,
    'check the bucket, the key and the credentials (the s3 artifact store of the stack, or the SDK chain)',
  );
}
