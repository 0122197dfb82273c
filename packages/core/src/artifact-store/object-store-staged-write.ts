import { createHash, randomUUID } from 'node:crypto';
import { PassThrough, Readable, Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { ArtifactStore } from './artifact-store.js';
import { blobKey, type StoredBlob, type WriteBlobOptions } from './content-addressed.js';
import { blobMissing } from './quarantine.js';

/** Values up to this size are hashed in memory and published with one `put`, as writeBlob does. */
const IN_MEMORY_LIMIT = 1 << 20;

/**
 * Where staged uploads live until they are copied to their content address: never an artifact key.
 * Flat (`tmp-staging-<uuid>` beside `blobs/`), not a folder of their own: S3 servers on a file system
 * (versitygw's posix backend) remove a folder when its last object is deleted, and a concurrent upload
 * into that folder then fails with 409 ExistingObjectIsDirectory. The store root never empties out
 * that way once a blob is published.
 */
export const STAGING_PREFIX = 'tmp-staging-';

type CopyingStore = ArtifactStore & Required<Pick<ArtifactStore, 'copy'>>;

/**
 * Hashes what the materializer writes. Small values stay in memory; once they pass IN_MEMORY_LIMIT an
 * upload to `staging` starts and every further byte is hashed and streamed into it in the same pass.
 */
class StagingSink extends Writable {
  readonly hash = createHash('sha256');
  size = 0;
  chunks: Buffer[] | undefined = [];
  body: PassThrough | undefined;
  upload: Promise<void> | undefined;

  constructor(
    private readonly store: CopyingStore,
    readonly staging: string,
  ) {
    super({ highWaterMark: 1 << 20 });
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void) {
    this.hash.update(chunk);
    this.size += chunk.length;
    if (this.chunks && this.size <= IN_MEMORY_LIMIT) {
      this.chunks.push(chunk);
      callback();
      return;
    }
    if (!this.body) this.startUpload();
    if (this.body!.write(chunk)) callback();
    else this.body!.once('drain', () => callback());
  }

  private startUpload() {
    const body = new PassThrough({ highWaterMark: 1 << 20 });
    this.body = body;
    this.upload = this.store.put(this.staging, body);
    // A failed upload stops the writer at once instead of leaving it waiting for 'drain'.
    this.upload.catch((error: Error) => this.destroy(error));
    for (const c of this.chunks ?? []) body.write(c);
    this.chunks = undefined;
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void) {
    // Destroying the body with an error makes the store abandon the upload (no commit). Without an
    // error this is the auto-destroy after 'finish': the body is still being uploaded.
    if (error) this.body?.destroy(error);
    callback(error);
  }
}

/**
 * writeBlob for stores with a cheap server-side `copy` (see ArtifactStore.copy): instead of spooling
 * the whole artifact to disk before uploading, the bytes are hashed and uploaded in one pass to a
 * staging key, then copied to their content address (which only then exists, complete: a copy is
 * atomic) and the staging object is deleted. An interrupted write leaves at most a staging object
 * under STAGING_PREFIX, never a visible blob. Small values are published with one `put`.
 */
export async function writeStagedBlob<T>(
  store: CopyingStore,
  write: (sink: NodeJS.WritableStream & Writable) => Promise<T>,
  options: WriteBlobOptions = {},
): Promise<StoredBlob & { result: T }> {
  const staging = `${STAGING_PREFIX}${randomUUID()}`;
  const sink = new StagingSink(store, staging);
  try {
    const result = await write(sink);
    sink.end();
    await finished(sink);
    const sha256 = sink.hash.digest('hex');
    const key = blobKey(sha256);
    const size = sink.size;
    if (sink.body) {
      sink.body.end();
      await sink.upload;
      if (await blobMissing(store, key, sha256, options.verifyExisting))
        await store.copy(staging, key, { size, sha256 });
      // The blob is published: a failed clean-up leaves a staging object, not a failed write.
      await store.delete(staging).catch(() => {});
    } else if (await blobMissing(store, key, sha256, options.verifyExisting)) {
      await store.put(key, Readable.from([Buffer.concat(sink.chunks ?? [])]), { size, sha256 });
    }
    return { key, uri: store.uri(key), sha256, size, result };
  } catch (error) {
    sink.destroy();
    sink.body?.destroy(error instanceof Error ? error : new Error(String(error)));
    if (sink.upload) {
      await sink.upload.catch(() => {});
      await store.delete(staging).catch(() => {});
    }
    throw error;
  }
}
