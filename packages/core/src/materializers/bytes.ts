import { readSourceToBytes } from '../artifact-store/file-transfer.js';
import { writeChunk } from '../util/stream.js';
import type { Materializer } from './materializer.js';

export const bytesMaterializer: Materializer<Uint8Array> = {
  id: 'strata.bytes',
  version: 1,
  kinds: ['bytes'],
  // A Buffer is a Uint8Array; typed arrays of other element types go to the typed-array materializer.
  accepts: (value) => value instanceof Uint8Array,
  async save(value, sink) {
    await writeChunk(sink, value);
    return { shape: [value.byteLength], preview: Buffer.from(value.subarray(0, 16)).toString('hex') };
  },
  async load(source) {
    return readSourceToBytes(source);
  },
};
