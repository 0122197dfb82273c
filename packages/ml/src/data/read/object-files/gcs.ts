import type { Storage, StorageOptions } from '@google-cloud/storage';
import type { DataFile } from '../data-file.js';
import { selectListed } from './index.js';

/** A Storage client, or its options (apiEndpoint, projectId, credentials). */
export type GcsFilesOptions = { readonly client: Storage } | StorageOptions;

/** `gs://bucket/key` objects as DataFiles: read streams, ranged downloads for Parquet. */
export async function gcsFiles(
  bucketName: string,
  key: string,
  accept: (name: string) => boolean,
  options: GcsFilesOptions = {},
): Promise<DataFile[]> {
  const sdk = await import('@google-cloud/storage');
  const endpoint = process.env.STORAGE_EMULATOR_HOST;
  const storage =
    'client' in options
      ? options.client
      : new sdk.Storage({ ...(endpoint ? { apiEndpoint: endpoint, projectId: 'strata' } : {}), ...options });
  const bucket = storage.bucket(bucketName);
  const [found] = await bucket.getFiles({ prefix: key, autoPaginate: true });
  const listed = found.map((f) => ({ key: f.name, size: Number(f.metadata.size ?? 0) }));
  return selectListed(listed, key, accept).map(({ key: objectKey, size }) => {
    const file = bucket.file(objectKey);
    return {
      name: `gs://${bucketName}/${objectKey}`,
      size: async () => size,
      stream: () => file.createReadStream(),
      read: async (start, end) => {
        if (end <= start) return new ArrayBuffer(0);
        // Ranged downloads are not checksummed whole; the ingest hashes the object in one pass.
        const [bytes] = await file.download({ start, end: end - 1, validation: false });
        return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
      },
    };
  });
}
