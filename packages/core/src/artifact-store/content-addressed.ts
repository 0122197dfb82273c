import { createHash, type Hash, randomUUID } from 'node:crypto';
import { constants, createReadStream, createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { copyFile, mkdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pipeline, Readable, Writable } from 'node:stream';
import { finished, pipeline as pump } from 'node:stream/promises';
import { StrataError } from '../errors/strata-error.js';
import type { ArtifactStore } from './artifact-store.js';
import { blobFile, writeWholeFile } from './file-transfer.js';
import { hashFile } from './hash-file.js';
import { writeStagedBlob } from './object-store-staged-write.js';
import { blobMissing } from './quarantine.js';
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

export interface WriteBlobOptions {
  /**
   * Hash the copy already stored under the same content address instead of trusting it, and replace it
   * if it is corrupt (a `--no-cache` run: what the integrity error's fix asks for).
   */
  readonly verifyExisting?: boolean;
}

/** Values up to this size are hashed in memory and published with one `put`; larger ones spool to disk. */
const IN_MEMORY_LIMIT = 1 << 20;

/**
 * Hashes what the materializer writes. Small values stay in memory; once they pass IN_MEMORY_LIMIT
 * the bytes go to a spool file instead, so nothing large is ever held whole.
 */
class SpoolingSink extends Writable {
  hash: Hash = createHash('sha256');
  size = 0;
  chunks: Buffer[] = [];
  file: WriteStream | undefined;
  /** The bytes so far are in the spool file (streamed there, or copied by writeWholeFile). */
  spooled = false;

  constructor(private readonly spool: string) {
    super({ highWaterMark: 1 << 20 });
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void) {
    this.size += chunk.length;
    if (!this.spooled && this.size <= IN_MEMORY_LIMIT) {
      this.hash.update(chunk);
      this.chunks.push(chunk);
      callback();
      return;
    }
    if (!this.file) {
      mkdirSync(dirname(this.spool), { recursive: true });
      this.file = createWriteStream(this.spool, { flags: this.spooled ? 'a' : 'w' });
      // A failed write (ENOSPC, EIO) fails the sink and so the step, instead of an unhandled 'error'
      // event that crashed the whole process and left the run `running`.
      this.file.on('error', (error) => this.destroy(error));
      for (const c of this.chunks) this.file.write(c);
      this.chunks = [];
      this.spooled = true;
    }
    // The write goes to the thread pool first, so the kernel copies the chunk while this thread
    // hashes it (neither changes the bytes).
    const flowing = this.file.write(chunk);
    this.hash.update(chunk);
    if (flowing) callback();
    else this.file.once('drain', () => callback());
  }

  /**
   * A whole local file written first: the kernel copies it into the spool (a reflink where the file
   * system has them) while this thread hashes it, instead of every byte passing through `_write`.
   * If the file changed during the copy, the spooled copy is hashed instead, so the digest always
   * describes the spooled bytes. The sink must not be written to while this runs.
   */
  async [writeWholeFile](path: string): Promise<void> {
    if (this.size > 0 || this.writableLength > 0 || this.spooled || this.writableEnded) {
      await pump(createReadStream(path, { highWaterMark: 1 << 20 }), this, { end: false });
      return;
    }
    const before = await stat(path, { bigint: true });
    await mkdir(dirname(this.spool), { recursive: true });
    this.spooled = true;
    const [copied, hashed] = await Promise.allSettled([
      copyFile(path, this.spool, constants.COPYFILE_FICLONE),
      hashFile(this.hash, path),
    ]);
    if (copied.status === 'rejected') throw copied.reason;
    if (hashed.status === 'rejected') throw hashed.reason;
    const after = await stat(path, { bigint: true });
    const unchanged =
      after.ino === before.ino &&
      after.size === before.size &&
      after.mtimeNs === before.mtimeNs &&
      after.ctimeNs === before.ctimeNs &&
      BigInt(hashed.value) === after.size;
    if (unchanged) {
      this.size = hashed.value;
    } else {
      this.hash = createHash('sha256');
      this.size = await hashFile(this.hash, this.spool);
    }
  }

  override _final(callback: (error?: Error | null) => void) {
    if (!this.file) return callback();
    this.file.end();
    finished(this.file).then(() => callback(), callback);
  }

  /**
   * Stops writing and waits until the spool file is closed: unlinking a file that is still open frees
   * no space, so on a full disk the next write (the step's own failure row) would fail too.
   */
  async discard(): Promise<void> {
    const file = this.file;
    const closed =
      file && !file.closed ? new Promise<void>((resolve) => file.once('close', () => resolve())) : undefined;
    this.destroy();
    await closed;
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void) {
    this.file?.destroy();
    callback(error);
  }
}

/**
 * Writes a value's bytes once per distinct content. The writer callback streams into a sink that
 * hashes (small values in memory, large ones into a spool file); only then is the digest (and so the
 * key) known. Publishing uses the store's atomic put (or `putFile` for a spool file), so an
 * interrupted write leaves at most a stray spool file, never a visible blob.
 */
export async function writeBlob<T>(
  store: ArtifactStore,
  write: (sink: NodeJS.WritableStream & import('node:stream').Writable) => Promise<T>,
  options: WriteBlobOptions = {},
): Promise<StoredBlob & { result: T }> {
  // Stores with a cheap server-side copy hash and upload in one pass (object-store-staged-write.ts).
  if (store.copy)
    return writeStagedBlob(store as ArtifactStore & Pick<Required<ArtifactStore>, 'copy'>, write, options);
  const spoolDir = store.spoolDir ?? join(tmpdir(), 'strata-spool');
  const spool = join(spoolDir, `${randomUUID()}.part`);
  const sink = new SpoolingSink(spool);
  try {
    const result = await write(sink);
    sink.end();
    await finished(sink);
    const sha256 = sink.hash.digest('hex');
    const key = blobKey(sha256);
    const size = sink.size;
    // --no-cache trusts nothing stored: a corrupt copy under this name is moved aside, then replaced.
    if (!(await blobMissing(store, key, sha256, options.verifyExisting))) {
      if (sink.spooled) await rm(spool, { force: true });
    } else if (!sink.spooled) {
      await store.put(key, Readable.from([Buffer.concat(sink.chunks)]), { size, sha256 });
    } else if (store.putFile) {
      await store.putFile(key, spool, { size, sha256 });
    } else {
      await store.put(key, createReadStream(spool), { size, sha256 });
      await rm(spool, { force: true });
    }
    return { key, uri: store.uri(key), sha256, size, result };
  } catch (error) {
    await sink.discard();
    await rm(spool, { force: true });
    throw outOfSpace(error, spoolDir, sink.size) ?? error;
  }
}

/**
 * ENOSPC/EDQUOT while writing an artifact: one clear error naming where and how much, after the
 * spool file was removed (a half-written 20 MB temp file kept the disk full for the next run).
 */
function outOfSpace(error: unknown, where: string, bytes: number): StrataError | undefined {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code !== 'ENOSPC' && code !== 'EDQUOT') return undefined;
  return new StrataError(
    `no space left writing an artifact under ${where}: ${bytes} bytes of it were produced when the disk filled (${code}); the partial file was removed`,
    {
      code: 'disk_full',
      field: 'artifact_store',
      value: where,
      fix: 'free disk space (df -h shows what is full) or point the artifact store (or TMPDIR) at a larger disk, then resume the run',
      cause: error,
    },
  );
}

/** Opens a blob for reading; the stream errors at its end if the bytes do not hash to `sha256`. */
export async function readBlob(store: ArtifactStore, key: string, sha256: string): Promise<Readable> {
  const body = await store.get(key);
  // stream.pipeline forwards a failure of the source (a dropped connection) to the verifier.
  const verified = pipeline(body, verifySha256(sha256, store.uri(key)), () => {});
  // For writeSourceToFile: a store that keeps blobs as files lets it copy and hash the file instead.
  const file = store.localPath?.(key);
  if (file) Object.defineProperty(verified, blobFile, { value: { file, sha256, uri: store.uri(key) } });
  return verified;
}
