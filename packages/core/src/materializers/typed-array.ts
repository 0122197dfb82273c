import { writeChunk } from '../util/stream.js';
import type { Materializer } from './materializer.js';

const constructors = {
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
} as const;
type DType = keyof typeof constructors;
type AnyTypedArray = InstanceType<(typeof constructors)[DType]>;

/**
 * Format: one JSON header line `{"dtype":"Float64Array","length":n}` then the raw little-endian
 * element bytes (this machine's byte order; every target Node runs on is little-endian).
 */
export const typedArrayMaterializer: Materializer<AnyTypedArray> = {
  id: 'strata.typed-array',
  version: 1,
  kinds: ['typed-array'],
  accepts: (value) => ArrayBuffer.isView(value) && !(value instanceof DataView),
  async save(value, sink) {
    const dtype = value.constructor.name as DType;
    if (!(dtype in constructors)) throw new TypeError(`unsupported typed array ${dtype}`);
    await writeChunk(sink, `${JSON.stringify({ dtype, length: value.length })}\n`);
    await writeChunk(sink, new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
    const head = Array.from(value.subarray(0, 8) as ArrayLike<number | bigint>, String).join(', ');
    return { schema: { dtype }, shape: [value.length], preview: `[${head}${value.length > 8 ? ', …' : ''}]` };
  },
  async load(source) {
    // Streams the body straight into an aligned array sized from the header: the value's size plus
    // one chunk at the peak (no whole-artifact buffer, no second copy to align it).
    let head: Buffer | undefined = Buffer.alloc(0);
    let header: { dtype: DType; length: number } | undefined;
    let body = new Uint8Array(0);
    let offset = 0;
    for await (const raw of source) {
      let chunk = raw as Buffer;
      if (head) {
        head = Buffer.concat([head, chunk]);
        const newline = head.indexOf(10);
        if (newline < 0) continue;
        header = JSON.parse(head.subarray(0, newline).toString('utf8')) as { dtype: DType; length: number };
        const Ctor = constructors[header.dtype];
        if (!Ctor) throw new TypeError(`unsupported typed array ${header.dtype}`);
        body = new Uint8Array(header.length * Ctor.BYTES_PER_ELEMENT);
        chunk = head.subarray(newline + 1);
        head = undefined;
      }
      // Too long: keep draining, so that a corrupt blob fails on its sha256 rather than here.
      if (offset + chunk.length > body.length) {
        offset = Number.POSITIVE_INFINITY;
        continue;
      }
      body.set(chunk, offset);
      offset += chunk.length;
    }
    if (!header || offset !== body.length) {
      throw new TypeError(
        `typed array artifact does not match its header ${head ? '(none)' : JSON.stringify(header)}`,
      );
    }
    return new constructors[header.dtype](body.buffer, 0, header.length) as AnyTypedArray;
  },
};
