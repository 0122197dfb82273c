import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
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
      const chunks: Buffer[] = [];
      if (end <= start) return new ArrayBuffer(0);
      for await (const chunk of createReadStream(path, { start, end: end - 1, highWaterMark: 1 << 22 })) {
        chunks.push(chunk as Buffer);
      }
      const buffer = Buffer.concat(chunks);
      return buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) as ArrayBuffer;
    },
  };
}

/** hyparquet's view of a DataFile. */
export async function asyncBufferOf(file: DataFile): Promise<AsyncBuffer> {
  const byteLength = await file.size();
  return { byteLength, slice: (start, end) => file.read(start, end ?? byteLength) };
}
