import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline, Transform } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { ArtifactStore } from './artifact-store.js';
import { verifySha256 } from './verified-read.js';

export interface StoredBlob {
  readonly key: string;
  readonly uri: string;
  readonly sha256: string;
  readonly size: number;
}

/** Where content-addressed blobs live inside a store: `blobs/sha256/ab/abcdef…`. */
export function blobKey(sha256: string): string {
  return `blobs/sha256/${sha256.slice(0, 2)}/${sha256}`;
}

/**
 * Writes a value's bytes once per distinct content. The writer callback streams into a spool file
 * while it is hashed; only then is the digest (and so the key) known. The spool is published with the
 * store's atomic put, so an interrupted write leaves at most a stray spool file, never a visible blob.
 */
export async function writeBlob<T>(
  store: ArtifactStore,
  write: (sink: NodeJS.WritableStream & import('node:stream').Writable) => Promise<T>,
): Promise<StoredBlob & { result: T }> {
  const spoolDir = store.spoolDir ?? join(tmpdir(), 'strata-spool');
  await mkdir(spoolDir, { recursive: true });
  const spool = join(spoolDir, `${randomUUID()}.part`);
  const hash = createHash('sha256');
  let size = 0;
  const hasher = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      size += chunk.length;
      cb(null, chunk);
    },
  });
  const file = createWriteStream(spool);
  hasher.pipe(file);
  try {
    const result = await write(hasher);
    hasher.end();
    await finished(file);
    const sha256 = hash.digest('hex');
    const key = blobKey(sha256);
    if (await store.exists(key)) {
      await rm(spool, { force: true });
    } else if (store.putFile) {
      await store.putFile(key, spool, { size, sha256 });
    } else {
      await store.put(key, createReadStream(spool), { size, sha256 });
      await rm(spool, { force: true });
    }
    return { key, uri: store.uri(key), sha256, size, result };
  } catch (error) {
    hasher.destroy();
    file.destroy();
    await rm(spool, { force: true });
    throw error;
  }
}

/** Opens a blob for reading; the stream errors at its end if the bytes do not hash to `sha256`. */
export async function readBlob(store: ArtifactStore, key: string, sha256: string): Promise<Readable> {
  const body = await store.get(key);
  // stream.pipeline forwards a failure of the source (a dropped connection) to the verifier.
  return pipeline(body, verifySha256(sha256, store.uri(key)), () => {});
}
