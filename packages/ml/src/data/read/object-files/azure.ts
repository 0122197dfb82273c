import type { Readable } from 'node:stream';
import { PassThrough } from 'node:stream';
import type { BlobServiceClient } from '@azure/storage-blob';
import type { DataFile } from '../data-file.js';
import { selectListed } from './index.js';

/** A BlobServiceClient, or a connection string (default AZURE_STORAGE_CONNECTION_STRING). */
export type AzureFilesOptions =
  | { readonly client: BlobServiceClient }
  | { readonly connectionString: string };

/** `az://container/blob` blobs as DataFiles: download streams, ranged downloads for Parquet. */
export async function azureFiles(
  containerName: string,
  key: string,
  accept: (name: string) => boolean,
  options?: AzureFilesOptions,
): Promise<DataFile[]> {
  const sdk = await import('@azure/storage-blob');
  let service: BlobServiceClient;
  if (options && 'client' in options) service = options.client;
  else {
    const connection = options?.connectionString ?? process.env.AZURE_STORAGE_CONNECTION_STRING;
    if (!connection) throw new Error('no Azure account: set AZURE_STORAGE_CONNECTION_STRING');
    service = sdk.BlobServiceClient.fromConnectionString(connection);
  }
  const container = service.getContainerClient(containerName);
  const listed: { key: string; size: number }[] = [];
  for await (const blob of container.listBlobsFlat({ prefix: key })) {
    listed.push({ key: blob.name, size: blob.properties.contentLength ?? 0 });
  }
  return selectListed(listed, key, accept).map(({ key: blobName, size }) => {
    const blob = container.getBlobClient(blobName);
    return {
      name: `az://${containerName}/${blobName}`,
      size: async () => size,
      stream: () => {
        const out = new PassThrough({ highWaterMark: 1 << 20 });
        blob.download(0).then(
          (response) => {
            const body = response.readableStreamBody as Readable;
            body.on('error', (error) => out.destroy(error));
            body.pipe(out);
          },
          (error: Error) => out.destroy(error),
        );
        return out;
      },
      read: async (start, end) => {
        if (end <= start) return new ArrayBuffer(0);
        const bytes = await blob.downloadToBuffer(start, end - start);
        return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
      },
    };
  });
}
