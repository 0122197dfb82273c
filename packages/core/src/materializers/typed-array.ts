import { readAll, writeChunk } from '../util/stream.js';
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
    const bytes = await readAll(source);
    const newline = bytes.indexOf(10);
    const header = JSON.parse(bytes.subarray(0, newline).toString('utf8')) as {
      dtype: DType;
      length: number;
    };
    const Ctor = constructors[header.dtype];
    const body = bytes.subarray(newline + 1);
    // Copy into a fresh, aligned buffer: the body offset is rarely a multiple of the element size.
    const aligned = new Uint8Array(body.byteLength);
    aligned.set(body);
    return new Ctor(aligned.buffer, 0, header.length) as AnyTypedArray;
  },
};
