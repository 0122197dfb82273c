import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import type { AsyncBuffer } from 'hyparquet';

/**
 * One input file wherever it lives: a name for errors and spans, a byte stream for the formats read
 * front to back (CSV, JSON Lines, Arrow IPC), and ranged reads for Parquet (footer first, then one
 * row group's column chunks). A data source on an object store provides the same three things.
 */
export interface DataFile {
  readonly name: string;
  size(): Promise<number>;
  stream(): Readable;
  /** Bytes [start, end) of the file. */
  read(start: number, end: number): Promise<ArrayBuffer>;
}

export function localFile(path: string): DataFile {
  return {
    name: basename(path),
    size: async () => (await stat(path)).size,
    stream: () => createReadStream(path, { highWaterMark: 1 << 20 }),
    read: async (start, end) => {
      // Straight into the buffer that is returned: one copy, from the page cache.
      const out = new Uint8Array(Math.max(0, end - start));
      if (out.length === 0) return out.buffer;
      const handle = await open(path, 'r');
      try {
        let at = 0;
        while (at < out.length) {
          const { bytesRead } = await handle.read(out, at, out.length - at, start + at);
          if (bytesRead === 0) break;
          at += bytesRead;
        }
        return at === out.length ? out.buffer : out.slice(0, at).buffer;
      } finally {
        await handle.close();
      }
    },
  };
}

/** hyparquet's view of a DataFile. */
export async function asyncBufferOf(file: DataFile): Promise<AsyncBuffer> {
  const byteLength = await file.size();
  return { byteLength, slice: (start, end) => file.read(start, end ?? byteLength) };
}
