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
    // One copy into an exact-size array (not Buffer.concat and then a copy of that): 2x, not 3x, the
    // value's size at the peak.
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
  },
};
