import { createHash, randomUUID } from 'node:crypto';
import { constants, createReadStream, createWriteStream } from 'node:fs';
import { copyFile, rename, rm } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { IntegrityError } from '../errors/strata-error.js';
import { hashFile, readFileHashing } from './hash-file.js';

/**
 * Whole local files into and out of content-addressed blobs, for materializers whose values are
 * files. Both directions have a fast path that keeps the bytes out of JavaScript streams: the kernel
 * copies the file while this process hashes it in parallel (one core copies, the other hashes).
 */

/** Implemented by writeBlob's sink: takes a whole local file faster than a stream of its bytes. */
export const writeWholeFile = Symbol('strata.writeWholeFile');
/** Set by readBlob on its stream when the store keeps the blob as a local file. */
export const blobFile = Symbol('strata.blobFile');

interface FileSink {
  [writeWholeFile](path: string): Promise<void>;
}
interface BlobFile {
  readonly file: string;
  readonly sha256: string;
  readonly uri: string;
}
interface FileBackedSource {
  [blobFile]: BlobFile;
}

/** Streams `path` into a materializer's sink (writeBlob's sink copies and hashes it in parallel). */
export async function writeFileToSink(sink: Writable, path: string): Promise<void> {
  const fast = (sink as Partial<FileSink>)[writeWholeFile];
  if (fast) return fast.call(sink, path);
  await pipeline(createReadStream(path, { highWaterMark: 1 << 20 }), sink, { end: false });
}

/**
 * Writes a blob stream to a new file at `path`; on failure (a corrupt blob included) nothing is left
 * there. For a readBlob stream of a blob the store keeps as a local file, the kernel copies that file
 * to a temporary name while this thread hashes it (the stream is not read), and the copy is renamed to
 * `path` only once the digest matched. Blobs are immutable (written once, by rename), so the copy and
 * the hashed bytes are the same bytes.
 */
export async function writeSourceToFile(source: Readable, path: string): Promise<void> {
  const blob = (source as Partial<FileBackedSource>)[blobFile];
  if (!blob) {
    try {
      await pipeline(source, createWriteStream(path, { highWaterMark: 4 << 20 }));
    } catch (error) {
      await rm(path, { force: true });
      throw error;
    }
    return;
  }
  source.destroy();
  const part = `${path}.${randomUUID()}.part`;
  const hash = createHash('sha256');
  // allSettled, not all: a failed copy must not leave the hashing running, nor the reverse.
  const [copied, hashed] = await Promise.allSettled([
    copyFile(blob.file, part, constants.COPYFILE_FICLONE),
    hashFile(hash, blob.file),
  ]);
  try {
    if (copied.status === 'rejected') throw copied.reason;
    if (hashed.status === 'rejected') throw hashed.reason;
    const actual = hash.digest('hex');
    if (actual !== blob.sha256) throw new IntegrityError(blob.uri, blob.sha256, actual);
    await rename(part, path);
  } catch (error) {
    await rm(part, { force: true });
    throw error;
  }
}

/**
 * Reads a blob stream into one exact-size array. For a readBlob stream of a blob the store keeps as a
 * local file, the file is read straight into the array and verified (the value's size at the peak);
 * any other stream is collected and copied once (twice the value's size at the peak).
 */
export async function readSourceToBytes(source: Readable): Promise<Uint8Array> {
  const blob = (source as Partial<FileBackedSource>)[blobFile];
  if (blob) {
    source.destroy();
    const hash = createHash('sha256');
    const bytes = await readFileHashing(hash, blob.file);
    const actual = hash.digest('hex');
    if (actual !== blob.sha256) throw new IntegrityError(blob.uri, blob.sha256, actual);
    return bytes;
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of source) {
    chunks.push(chunk as Uint8Array);
    size += (chunk as Uint8Array).byteLength;
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks.splice(0)) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
