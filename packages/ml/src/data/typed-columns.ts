import type { Data, Vector } from 'apache-arrow';
import { DataType, makeData, makeVector, Utf8 } from 'apache-arrow';

/**
 * Column access straight from Arrow's buffers, for the per-row hot loops (split, gather,
 * statistics): no `vector.get(i)` (a visitor call per cell) and no JS value per cell.
 */

/** Whether row `i` of a chunk holds a value (Arrow's validity bit, honouring a slice's offset). */
export function isValidAt(chunk: Data, i: number): boolean {
  if (chunk.nullCount === 0 || !chunk.nullBitmap || chunk.nullBitmap.length === 0) return true;
  const bit = chunk.offset + i;
  return (chunk.nullBitmap[bit >> 3]! & (1 << (bit & 7))) !== 0;
}

/**
 * A numeric column as float64, NaN where missing. Float and Int chunks are read from their value
 * buffers; anything else (decimals, dates) returns undefined so the caller takes its generic path.
 */
export function float64Column(vector: Vector): Float64Array | undefined {
  if (!(DataType.isFloat(vector.type) || DataType.isInt(vector.type))) return undefined;
  const out = new Float64Array(vector.length);
  let r = 0;
  for (const chunk of vector.data) {
    const values = chunk.values as ArrayLike<number | bigint>;
    const plain = values instanceof Float64Array;
    for (let i = 0; i < chunk.length; i++) {
      if (!isValidAt(chunk, i)) out[r++] = Number.NaN;
      else out[r++] = plain ? (values[i] as number) : Number(values[i]!);
    }
  }
  return out;
}

/** Whether every chunk of the vector is plain Utf8 (offsets + bytes), which the byte paths read. */
export function isPlainUtf8(vector: Vector): boolean {
  return DataType.isUtf8(vector.type) && !DataType.isLargeUtf8(vector.type);
}

/**
 * The rows `indices` of a plain Utf8 vector as a new Utf8 vector, copying bytes (no string is
 * decoded or encoded).
 */
export function gatherUtf8(vector: Vector, indices: ArrayLike<number>): Vector {
  const chunks = vector.data;
  const starts = chunkStarts(vector);
  const n = indices.length;
  const chunkOf = new Uint32Array(n);
  const offsets = new Int32Array(n + 1);
  const valid = new Uint8Array((n + 7) >> 3);
  let nulls = 0;
  let bytes = 0;
  let c = 0;
  for (let i = 0; i < n; i++) {
    const at = indices[i]!;
    if (at < starts[c]! || at >= starts[c + 1]!) c = findChunk(starts, at);
    chunkOf[i] = c;
    const chunk = chunks[c]!;
    const local = at - starts[c]!;
    if (!isValidAt(chunk, local)) nulls++;
    else {
      valid[i >> 3]! |= 1 << (i & 7);
      bytes += chunk.valueOffsets[local + 1]! - chunk.valueOffsets[local]!;
    }
    offsets[i + 1] = bytes;
  }
  const data = new Uint8Array(bytes);
  for (let i = 0; i < n; i++) {
    if (offsets[i + 1] === offsets[i]) continue;
    const chunk = chunks[chunkOf[i]!]!;
    const local = indices[i]! - starts[chunkOf[i]!]!;
    const from = chunk.valueOffsets[local]!;
    data.set((chunk.values as Uint8Array).subarray(from, chunk.valueOffsets[local + 1]!), offsets[i]!);
  }
  return utf8FromBuffers(n, nulls, offsets, data, valid);
}

/**
 * A Utf8 column over buffers already laid out as Arrow's (n + 1 offsets into `data`, a validity bitmap
 * used only when some row is null): no string per cell is made.
 */
export function utf8FromBuffers(
  n: number,
  nulls: number,
  offsets: Int32Array,
  data: Uint8Array,
  valid: Uint8Array,
): Vector<Utf8> {
  return makeVector(
    makeData({
      type: new Utf8(),
      length: n,
      nullCount: nulls,
      valueOffsets: offsets,
      data,
      nullBitmap: nulls > 0 ? valid : null,
    }),
  );
}

/** `starts[c]` is the first row of chunk c; `starts[chunks]` the row count. */
export function chunkStarts(vector: Vector): Float64Array {
  const starts = new Float64Array(vector.data.length + 1);
  for (let c = 0; c < vector.data.length; c++) starts[c + 1] = starts[c]! + vector.data[c]!.length;
  return starts;
}

function findChunk(starts: Float64Array, row: number): number {
  let lo = 0;
  let hi = starts.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (starts[mid]! <= row) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

const DECODER = new TextDecoder();

/**
 * The strings of a plain Utf8 vector, row by row (null when missing), decoding each distinct byte
 * sequence once: categorical columns repeat a few values, and decoding every cell dominated the
 * statistics and validation passes.
 */
export function utf8Strings(vector: Vector): (string | null)[] {
  const out: (string | null)[] = new Array(vector.length);
  const cache = new Map<number, { bytes: Uint8Array; text: string }[]>();
  let r = 0;
  for (const chunk of vector.data) {
    const offsets = chunk.valueOffsets;
    const bytes = chunk.values as Uint8Array;
    for (let i = 0; i < chunk.length; i++, r++) {
      if (!isValidAt(chunk, i)) {
        out[r] = null;
        continue;
      }
      const from = offsets[i]!;
      const to = offsets[i + 1]!;
      let h = to - from;
      for (let b = from; b < to; b++) h = (Math.imul(h, 31) + bytes[b]!) | 0;
      const bucket = cache.get(h);
      let text: string | undefined;
      if (bucket) {
        for (const entry of bucket) {
          if (sameBytes(entry.bytes, bytes, from, to)) {
            text = entry.text;
            break;
          }
        }
      }
      if (text === undefined) {
        const slice = bytes.slice(from, to);
        text = DECODER.decode(slice);
        if (cache.size < 100_000) {
          if (bucket) bucket.push({ bytes: slice, text });
          else cache.set(h, [{ bytes: slice, text }]);
        }
      }
      out[r] = text;
    }
  }
  return out;
}

function sameBytes(a: Uint8Array, bytes: Uint8Array, from: number, to: number): boolean {
  if (a.length !== to - from) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== bytes[from + i]) return false;
  return true;
}
