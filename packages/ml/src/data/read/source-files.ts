import type { SourceObject } from '@strata/core';
import type { DataFile } from './data-file.js';

/**
 * A source's objects (read through the stack's reader for the scheme, pinned to the fingerprinted
 * versions) as DataFiles: streamed front to back for CSV, JSON Lines and Arrow IPC, read by ranges
 * for Parquet. `accept` keeps the names with a data extension.
 */
export function sourceFiles(
  objects: readonly SourceObject[],
  accept: (name: string) => boolean,
  signal?: AbortSignal,
): DataFile[] {
  return objects
    .filter((o) => accept(o.name))
    .map((o) => ({
      name: o.uri,
      size: async () => o.size,
      stream: () => o.stream(signal),
      read: async (start, end) => {
        const bytes = await o.read(start, end, signal);
        return (
          bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
            ? bytes.buffer
            : bytes.slice().buffer
        ) as ArrayBuffer;
      },
    }));
}
