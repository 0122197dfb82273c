import { Readable } from 'node:stream';
import type { Storage } from '@google-cloud/storage';
import { type StrataError, splitObjectUri } from '@strata/core';
import {
  pinnedListing,
  type SourceObject,
  type SourceReader,
  sourceChanged,
  sourceUnreachable,
} from '@strata/core/plugin';
import type { GcsArtifactStoreConfig } from './flavor.js';

/**
 * Reads `gs://` sources for ingest through the stack: the gcs artifact store's endpoint and
 * credentials when the stack has one, else the SDK's chain, as the fingerprinter. Every read names
 * the fingerprinted generation (GCS's version of an object, new on every overwrite), so an object
 * replaced since is read as it was where the bucket keeps old generations, and is `source_changed`
 * otherwise; a prefix is listed again and must match its fingerprint.
 */
export const gcsSourceReader: SourceReader = {
  schemes: ['gs'],
  storeFlavor: 'gcs',
  async objects(spec, fingerprint, context) {
    const storage = await clientFor(context.storeConfig);
    const { container, key } = splitObjectUri(spec.uri);
    const bucket = storage.bucket(container);
    const generation = fingerprint.details?.generation;
    if (fingerprint.digest.startsWith('generation:') && typeof generation === 'string') {
      return [object(storage, container, key, key.split('/').at(-1)!, fingerprint.size ?? 0, generation)];
    }
    const prefix = key === '' || key.endsWith('/') ? key : `${key}/`;
    let listed: { name: string; etag: string; size: number; generation: string }[];
    try {
      const [files] = await bucket.getFiles({ prefix, autoPaginate: true });
      listed = files.map((f) => ({
        name: f.name.slice(prefix.length),
        // As the fingerprinter lists them.
        etag: `${f.metadata.generation}:${f.metadata.md5Hash ?? ''}`,
        size: Number(f.metadata.size ?? 0),
        generation: String(f.metadata.generation),
      }));
    } catch (error) {
      throw unreachable(spec.uri, error);
    }
    return pinnedListing(spec, 'gs', listed, fingerprint).map((o) =>
      object(storage, container, prefix + o.name, o.name, o.size, o.generation),
    );
  },
};

const clients = new Map<string, Promise<Storage>>();

function clientFor(storeConfig: Readonly<Record<string, unknown>> | undefined): Promise<Storage> {
  const config = (storeConfig ?? {}) as Partial<GcsArtifactStoreConfig>;
  const id = JSON.stringify(config);
  let client = clients.get(id);
  if (!client) {
    client = import('./client.js').then(({ createGcsClient }) =>
      createGcsClient({ ...config, maxAttempts: config.maxAttempts ?? 3 } as GcsArtifactStoreConfig),
    );
    clients.set(id, client);
  }
  return client;
}

function object(
  storage: Storage,
  bucket: string,
  key: string,
  name: string,
  size: number,
  generation: string,
): SourceObject {
  const uri = `gs://${bucket}/${key}`;
  const file = storage.bucket(bucket).file(key, { generation: Number(generation) });
  const mapped = (error: unknown) => {
    const code = (error as { code?: number }).code;
    if (code === 404 || code === 412)
      return sourceChanged(
        uri,
        `generation ${generation} of the object is gone (replaced or deleted)`,
        error,
      );
    return unreachable(uri, error);
  };
  return {
    uri,
    name,
    size,
    version: `generation:${generation}`,
    async read(start, end) {
      if (end <= start) return new Uint8Array(0);
      try {
        const [bytes] = await file.download({ start, end: end - 1, validation: false });
        return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      } catch (error) {
        throw mapped(error);
      }
    },
    stream() {
      return Readable.from(
        (async function* () {
          try {
            yield* file.createReadStream({ validation: false });
          } catch (error) {
            throw mapped(error);
          }
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
    'check the bucket, the object name and the credentials (the gcs artifact store of the stack, or the SDK chain)',
  );
}
