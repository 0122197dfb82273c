import type { Data } from 'apache-arrow';

/** A Parquet dictionary for one string column chunk. */
export interface TextDictionary {
  readonly count: number;
  /** The dictionary page's body: PLAIN byte arrays (4-byte length, bytes). */
  readonly page: Uint8Array;
  /** Per row of the chunk, its entry (0 for a null row, which is not written). */
  readonly indices: Int32Array;
  readonly bitWidth: number;
}

/** Largest dictionary page kept, as pyarrow's default (1 MiB); past it values are written PLAIN. */
const MAX_DICTIONARY_BYTES = 1 << 20;

/**
 * Builds the dictionary of a Utf8 column's rows [0, rows) straight from its offsets and bytes (an
 * open-addressing table keyed by an FNV-1a hash of the bytes: no JS string per value), or undefined
 * when the values do not repeat enough (more distinct values than a quarter of the rows, or a
 * dictionary past 1 MiB).
 */
export function dictionaryOf(data: Data, rows: number): TextDictionary | undefined {
  const offsets = data.valueOffsets as Int32Array;
  const bytes = data.values as Uint8Array;
  const bitmap = data.nullCount > 0 ? data.nullBitmap : null;
  const limit = Math.max(16, rows >> 2);
  let size = 1024;
  while (size < limit * 2) size <<= 1;
  const slots = new Int32Array(size); // entry + 1, 0 = empty
  const starts: number[] = [];
  const ends: number[] = [];
  const indices = new Int32Array(rows);
  let pageBytes = 0;
  for (let r = 0; r < rows; r++) {
    const i = data.offset + r;
    if (bitmap && !((bitmap[i >> 3]! >> (i & 7)) & 1)) continue;
    // Arrow slices the offsets (local index) but not the bitmap (data.offset).
    const s = offsets[r]!;
    const e = offsets[r + 1]!;
    let h = 0x811c9dc5;
    for (let b = s; b < e; b++) h = Math.imul(h ^ bytes[b]!, 0x01000193);
    let slot = (h >>> 0) & (size - 1);
    for (;;) {
      const entry = slots[slot]! - 1;
      if (entry < 0) {
        if (starts.length >= limit) return undefined;
        pageBytes += 4 + e - s;
        if (pageBytes > MAX_DICTIONARY_BYTES) return undefined;
        starts.push(s);
        ends.push(e);
        slots[slot] = starts.length;
        indices[r] = starts.length - 1;
        break;
      }
      if (same(bytes, starts[entry]!, ends[entry]!, s, e)) {
        indices[r] = entry;
        break;
      }
      slot = (slot + 1) & (size - 1);
    }
  }
  const page = new Uint8Array(pageBytes);
  const view = new DataView(page.buffer);
  let at = 0;
  for (let k = 0; k < starts.length; k++) {
    const s = starts[k]!;
    const e = ends[k]!;
    view.setUint32(at, e - s, true);
    page.set(bytes.subarray(s, e), at + 4);
    at += 4 + e - s;
  }
  const count = starts.length;
  return { count, page, indices, bitWidth: Math.max(1, 32 - Math.clz32(Math.max(0, count - 1))) };
}

function same(bytes: Uint8Array, s1: number, e1: number, s2: number, e2: number): boolean {
  if (e1 - s1 !== e2 - s2) return false;
  for (let k = 0; k < e1 - s1; k++) if (bytes[s1 + k] !== bytes[s2 + k]) return false;
  return true;
}
