import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { type Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * Whole local files into and out of content-addressed blobs, for materializers whose values are
 * files. Both directions have a fast path that keeps the bytes out of JavaScript streams: the kernel
 * copies the file while this process hashes it in parallel (one core copies, the other hashes).
 */

/** Implemented by writeBlob's sink: takes a whole local file faster than a stream of its bytes. */
export const writeWholeFile = Symbol('strata.writeWholeFile');
/** Set by readBlob on its stream when the store can copy the object to a local file itself. */
export const copyBlobToFile = Symbol('strata.copyBlobToFile');

interface FileSink {
  [writeWholeFile](path: string): Promise<void>;
}
interface CopyableSource {
  [copyBlobToFile](path: string): Promise<void>;
}

/** Streams `path` into a materializer's sink (writeBlob's sink copies and hashes it in parallel). */
export async function writeFileToSink(sink: Writable, path: string): Promise<void> {
  const fast = (sink as Partial<FileSink>)[writeWholeFile];
  if (fast) return fast.call(sink, path);
  await pipeline(createReadStream(path, { highWaterMark: 1 << 20 }), sink, { end: false });
}

/**
 * Writes a blob stream to a new file at `path`; on failure (a corrupt blob included) nothing is left
 * there. For a readBlob stream from a store with `copyToFile`, the store copies the object (a kernel
 * copy) to a temporary name while this process drains the stream, which verifies the sha256; the file
 * is renamed to `path` only once both succeeded. Blobs are immutable (written once, by rename), so
 * the copy and the verifying read see the same bytes.
 */
export async function writeSourceToFile(source: Readable, path: string): Promise<void> {
  const copy = (source as Partial<CopyableSource>)[copyBlobToFile];
  if (!copy) {
    try {
      await pipeline(source, createWriteStream(path, { highWaterMark: 4 << 20 }));
    } catch (error) {
      await rm(path, { force: true });
      throw error;
    }
    return;
  }
  const part = `${path}.${randomUUID()}.part`;
  // allSettled, not all: a failed copy must not leave the verifying read running, nor the reverse.
  const [verified, copied] = await Promise.allSettled([pipeline(source, discard()), copy(part)]);
  try {
    if (verified.status === 'rejected') throw verified.reason;
    if (copied.status === 'rejected') throw copied.reason;
    await rename(part, path);
  } catch (error) {
    source.destroy();
    await rm(part, { force: true });
    throw error;
  }
}

function discard(): Writable {
  return new Writable({
    highWaterMark: 1 << 20,
    write(_chunk, _encoding, callback) {
      callback();
    },
  });
}
