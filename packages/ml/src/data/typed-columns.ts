import type { Data, Float, Vector } from 'apache-arrow';
import { DataType, makeData, makeVector, Precision, Utf8 } from 'apache-arrow';

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
  // Half floats' buffers hold raw 16-bit patterns: left to the cell path, which decodes them.
  if (DataType.isFloat(vector.type) && (vector.type as Float).precision === Precision.HALF) return undefined;
  const out = new Float64Array(vector.length);
  let r = 0;
  for (const chunk of vector.data) {
    const values = chunk.values as ArrayLike<number | bigint>;
    const plain = values instanceof Float64Array;
    const bitmap =
      chunk.nullCount > 0 && chunk.nullBitmap && chunk.nullBitmap.length > 0 ? chunk.nullBitmap : null;
    if (plain && !bitmap) out.set((values as Float64Array).subarray(0, chunk.length), r);
    else if (plain) {
      const offset = chunk.offset;
      for (let i = 0; i < chunk.length; i++) {
        const bit = offset + i;
        out[r + i] =
          (bitmap![bit >> 3]! & (1 << (bit & 7))) !== 0 ? (values as Float64Array)[i]! : Number.NaN;
      }
    } else {
      for (let i = 0; i < chunk.length; i++)
        out[r + i] = isValidAt(chunk, i) ? Number(values[i]!) : Number.NaN;
    }
    r += chunk.length;
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
  if (vector.data.length === 1) return gatherUtf8Chunk(vector.data[0]!, indices);
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
 * `gatherUtf8` of a one-chunk vector (a record batch's column, as the split gathers them): no
 * chunk lookup per row, and short values copied byte by byte (a subarray per row was most of the
 * split's garbage).
 */
function gatherUtf8Chunk(chunk: Data, indices: ArrayLike<number>): Vector {
  const n = indices.length;
  const source = chunk.valueOffsets;
  const bytes = chunk.values as Uint8Array;
  const offsets = new Int32Array(n + 1);
  const valid = new Uint8Array((n + 7) >> 3);
  const checkValid = chunk.nullCount > 0 && chunk.nullBitmap && chunk.nullBitmap.length > 0;
  let nulls = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const at = indices[i]!;
    if (checkValid && !isValidAt(chunk, at)) nulls++;
    else {
      valid[i >> 3]! |= 1 << (i & 7);
      total += source[at + 1]! - source[at]!;
    }
    offsets[i + 1] = total;
  }
  const data = new Uint8Array(total);
  for (let i = 0; i < n; i++) {
    let out = offsets[i]!;
    const length = offsets[i + 1]! - out;
    if (length === 0) continue;
    const from = source[indices[i]!]!;
    if (length < 64) for (let b = from; b < from + length; b++) data[out++] = bytes[b]!;
    else data.set(bytes.subarray(from, from + length), out);
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

/** A categorical column as a code per row and its distinct strings (see `utf8Codes`). */
export interface Utf8Codes {
  /** Per row: the index of its value in `values`, or -1 when missing. */
  readonly codes: Int32Array;
  /** The distinct values, in first-seen order. */
  readonly values: string[];
}

/**
 * A plain Utf8 vector as a code per row and its distinct strings, each decoded once: the rows'
 * bytes are hashed and looked up in an open-addressing table of typed arrays, so no string and no
 * Map entry is touched per row. Categorical columns repeat few values, and decoding or hashing a
 * string per cell dominated the statistics, validation and transform passes.
 */
export function utf8Codes(vector: Vector): Utf8Codes {
  const table = new ByteTable();
  const codes = new Int32Array(vector.length);
  let r = 0;
  for (const chunk of vector.data) {
    const offsets = chunk.valueOffsets;
    const bytes = chunk.values as Uint8Array;
    const checkValid = chunk.nullCount > 0 && chunk.nullBitmap && chunk.nullBitmap.length > 0;
    for (let i = 0; i < chunk.length; i++, r++) {
      codes[r] = checkValid && !isValidAt(chunk, i) ? -1 : table.code(bytes, offsets[i]!, offsets[i + 1]!);
    }
  }
  return { codes, values: table.values };
}

/** How many rows hold each value (first-seen order), and how many are missing. */
export function utf8Counts(vector: Vector): { counts: Map<string, number>; missing: number } {
  const table = new ByteTable();
  let tally = new Float64Array(16);
  let missing = 0;
  for (const chunk of vector.data) {
    const offsets = chunk.valueOffsets;
    const bytes = chunk.values as Uint8Array;
    const checkValid = chunk.nullCount > 0 && chunk.nullBitmap && chunk.nullBitmap.length > 0;
    for (let i = 0; i < chunk.length; i++) {
      if (checkValid && !isValidAt(chunk, i)) {
        missing++;
        continue;
      }
      const code = table.code(bytes, offsets[i]!, offsets[i + 1]!);
      if (code === tally.length) {
        const grown = new Float64Array(2 * tally.length);
        grown.set(tally);
        tally = grown;
      }
      tally[code]!++;
    }
  }
  return { counts: new Map(table.values.map((value, code) => [value, tally[code]!])), missing };
}

/** Distinct byte strings, numbered in first-seen order (open addressing, linear probing). */
class ByteTable {
  readonly values: string[] = [];
  private slots = new Int32Array(64);
  private hashes = new Int32Array(16);
  private starts = new Int32Array(16);
  private ends = new Int32Array(16);
  private store = new Uint8Array(1024);
  private stored = 0;

  code(bytes: Uint8Array, from: number, to: number): number {
    let h = to - from;
    for (let b = from; b < to; b++) h = (Math.imul(h, 31) + bytes[b]!) | 0;
    h = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
    h ^= h >>> 16;
    const mask = this.slots.length - 1;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot]!;
      if (entry === 0) return this.insert(slot, h, bytes, from, to);
      const code = entry - 1;
      if (this.hashes[code] === h && this.same(code, bytes, from, to)) return code;
    }
  }

  private same(code: number, bytes: Uint8Array, from: number, to: number): boolean {
    const start = this.starts[code]!;
    if (this.ends[code]! - start !== to - from) return false;
    const store = this.store;
    for (let i = 0; i < to - from; i++) if (store[start + i] !== bytes[from + i]) return false;
    return true;
  }

  private insert(slot: number, h: number, bytes: Uint8Array, from: number, to: number): number {
    const code = this.values.length;
    if (code === this.hashes.length) {
      this.hashes = grow(this.hashes);
      this.starts = grow(this.starts);
      this.ends = grow(this.ends);
    }
    const length = to - from;
    if (this.stored + length > this.store.length) {
      const store = new Uint8Array(Math.max(2 * this.store.length, this.stored + length));
      store.set(this.store.subarray(0, this.stored));
      this.store = store;
    }
    this.store.set(bytes.subarray(from, to), this.stored);
    this.hashes[code] = h;
    this.starts[code] = this.stored;
    this.ends[code] = this.stored + length;
    this.stored += length;
    this.values.push(DECODER.decode(bytes.subarray(from, to)));
    this.slots[slot] = code + 1;
    // At most half full, so probes stay short.
    if (2 * (code + 1) > this.slots.length) this.rehash();
    return code;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let code = 0; code < this.values.length; code++) {
      let slot = this.hashes[code]! & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = code + 1;
    }
    this.slots = slots;
  }
}

function grow(array: Int32Array): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(array.length * 2);
  grown.set(array);
  return grown;
}
