import { Readable } from 'node:stream';
import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import type { DataFile } from '../data-file.js';
import { type ListedObject, selectListed } from './index.js';

/** An S3 client, or its config (endpoint, region, credentials, forcePathStyle). */
export type S3FilesOptions = { readonly client: S3Client } | S3ClientConfig;

/** `s3://bucket/key` objects as DataFiles: GetObject streams, ranged GetObject for Parquet. */
export async function s3Files(
  bucket: string,
  key: string,
  accept: (name: string) => boolean,
  options: S3FilesOptions = {},
): Promise<DataFile[]> {
  const sdk = await import('@aws-sdk/client-s3');
  const client = 'client' in options ? options.client : new sdk.S3Client(defaults(options));
  const listed: ListedObject[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new sdk.ListObjectsV2Command({
        Bucket: bucket,
        // The key itself or a prefix: selectListed tells them apart.
        Prefix: key,
        ...(token ? { ContinuationToken: token } : {}),
      }),
    );
    for (const o of page.Contents ?? []) listed.push({ key: o.Key!, size: o.Size ?? 0 });
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return selectListed(listed, key, accept).map(({ key: objectKey, size }) => ({
    name: `s3://${bucket}/${objectKey}`,
    size: async () => size,
    stream: () =>
      Readable.from(
        (async function* () {
          const got = await client.send(new sdk.GetObjectCommand({ Bucket: bucket, Key: objectKey }));
          yield* got.Body as Readable;
        })(),
        { objectMode: false },
      ),
    read: async (start, end) => {
      if (end <= start) return new ArrayBuffer(0);
      const got = await client.send(
        new sdk.GetObjectCommand({ Bucket: bucket, Key: objectKey, Range: `bytes=${start}-${end - 1}` }),
      );
      const bytes = await got.Body!.transformToByteArray();
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    },
  }));
}

/** The SDK's chain, plus an endpoint from AWS_ENDPOINT_URL(_S3) with path-style addressing (MinIO, emulators). */
function defaults(config: S3ClientConfig): S3ClientConfig {
  const endpoint = config.endpoint ?? process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL;
  return {
    region: process.env.AWS_REGION ?? 'us-east-1',
    ...config,
    ...(endpoint ? { endpoint, forcePathStyle: config.forcePathStyle ?? true } : {}),
  };
}
