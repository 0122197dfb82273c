import { Readable } from 'node:stream';
import type { BlobClient, BlobServiceClient } from '@azure/storage-blob';
import { type StrataError, splitObjectUri } from '@strata/core';
import {
  pinnedListing,
  type SourceObject,
  type SourceReader,
  sourceChanged,
  sourceUnreachable,
} from '@strata/core/plugin';
import type { AzureArtifactStoreConfig } from './flavor.js';

/**
 * Reads `az://` sources for ingest through the stack: the azure artifact store's account and
 * credentials (connection string, key or token, secret references resolved) when the stack has one,
 * else AZURE_STORAGE_CONNECTION_STRING, as the fingerprinter. A single blob is read at its
 * fingerprinted version id when versioning is on, else with If-Match on its ETag; a prefix is listed
 * again and must match its fingerprint, each blob read with If-Match on the listed ETag.
 */
export const azureSourceReader: SourceReader = {
  schemes: ['az'],
  storeFlavor: 'azure',
  async objects(spec, fingerprint, context) {
    const service = await clientFor(context.storeConfig);
    const { container: name, key } = splitObjectUri(spec.uri);
    const container = service.getContainerClient(name);
    const details = fingerprint.details ?? {};
    if (fingerprint.digest.startsWith('version:') || fingerprint.digest.startsWith('etag:')) {
      const versionId = typeof details.versionId === 'string' ? details.versionId : undefined;
      const etag = typeof details.etag === 'string' ? details.etag : fingerprint.digest.slice(5);
      const blob = versionId
        ? container.getBlobClient(key).withVersion(versionId)
        : container.getBlobClient(key);
      return [
        object(
          blob,
          `az://${name}/${key}`,
          key.split('/').at(-1)!,
          fingerprint.size ?? 0,
          versionId ? `version:${versionId}` : `etag:${etag}`,
          versionId ? undefined : etag,
        ),
      ];
    }
    const prefix = key === '' || key.endsWith('/') ? key : `${key}/`;
    const listed: { name: string; etag: string; size: number }[] = [];
    try {
      for await (const blob of container.listBlobsFlat({
        prefix,
        ...(context.signal ? { abortSignal: context.signal } : {}),
      })) {
        listed.push({
          name: blob.name.slice(prefix.length),
          etag: blob.properties.etag ?? '',
          size: blob.properties.contentLength ?? 0,
        });
      }
    } catch (error) {
      throw unreachable(spec.uri, error);
    }
    return pinnedListing(spec, 'az', listed, fingerprint).map((o) =>
      object(
        container.getBlobClient(prefix + o.name),
        `az://${name}/${prefix}${o.name}`,
        o.name,
        o.size,
        `etag:${o.etag}`,
        o.etag,
      ),
    );
  },
};

const clients = new Map<string, Promise<BlobServiceClient>>();

function clientFor(storeConfig: Readonly<Record<string, unknown>> | undefined): Promise<BlobServiceClient> {
  const config = (storeConfig ?? {}) as Partial<AzureArtifactStoreConfig>;
  const id = JSON.stringify(config);
  let client = clients.get(id);
  if (!client) {
    client = import('./client.js').then(({ createBlobServiceClient }) =>
      createBlobServiceClient({
        ...config,
        maxAttempts: config.maxAttempts ?? 3,
      } as AzureArtifactStoreConfig),
    );
    clients.set(id, client);
  }
  return client;
}

function object(
  blob: BlobClient,
  uri: string,
  name: string,
  size: number,
  version: string,
  ifMatch: string | undefined,
): SourceObject {
  const download = async (offset: number, count: number | undefined, signal?: AbortSignal) => {
    try {
      const response = await blob.download(offset, count, {
        ...(ifMatch ? { conditions: { ifMatch } } : {}),
        ...(signal ? { abortSignal: signal } : {}),
      });
      return response.readableStreamBody!;
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode;
      if (status === 412) throw sourceChanged(uri, 'the blob was replaced (its ETag differs)', error);
      if (status === 404) throw sourceChanged(uri, 'the blob (or its version) was deleted', error);
      throw unreachable(uri, error);
    }
  };
  return {
    uri,
    name,
    size,
    version,
    async read(start, end, signal) {
      if (end <= start) return new Uint8Array(0);
      const body = await download(start, end - start, signal);
      const chunks: Buffer[] = [];
      for await (const chunk of body) chunks.push(chunk as Buffer);
      const bytes = Buffer.concat(chunks);
      return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    },
    stream(signal) {
      return Readable.from(
        (async function* () {
          yield* await download(0, undefined, signal);
        })(),
        { objectMode: false },
      );
    },
  };
}

function unreachable(uri: string, error: unknown): StrataError {
  return sourceUnreachable(
    uri,
    error,
    'check the container, the blob name and the credentials (the azure artifact store of the stack, or AZURE_STORAGE_CONNECTION_STRING)',
  );
}
