import type { Compressors, DataReader, SchemaElement } from 'hyparquet';
import { parquetHeader } from 'hyparquet/src/column.js';
import { decompressPage, readDataPage, readDataPageV2 } from 'hyparquet/src/datapage.js';
import { readRleBitPackedHybrid } from 'hyparquet/src/encoding.js';
import { readPlain } from 'hyparquet/src/plain.js';
import type { ColumnType } from '../table.js';

/**
 * Decodes the pages of one flat column chunk straight into Arrow-shaped buffers: a Float64Array (or
 * a bit-packed Bool, or Utf8 offsets and bytes) and a validity bitmap, with no JS value per cell.
 * hyparquet supplies the page headers, decompression and the bit-packed hybrid decoder; its row
 * assembly (which builds a JS array with a `null` or a string per row) is not used. Encodings this
 * fast path does not know (DELTA_*, BYTE_STREAM_SPLIT, data page v2) go through hyparquet's page
 * decoder and are copied from its arrays.
 */
export interface DecodedColumn {
  readonly type: ColumnType;
  readonly rows: number;
  readonly nulls: number;
  /** Bit i set when row i is present (Arrow's layout). */
  readonly valid: Uint8Array;
  /** numeric */
  readonly numbers?: Float64Array;
  /** boolean: bit-packed values */
  readonly bits?: Uint8Array;
  /** categorical: Utf8 offsets (rows + 1) and bytes */
  readonly offsets?: Int32Array;
  readonly bytes?: Uint8Array;
}

/** How a numeric column's stored values become numbers. */
type NumberKind = 'double' | 'float' | 'int32' | 'uint32' | 'int64' | 'uint64';

export interface ColumnChunkInput {
  readonly element: SchemaElement;
  readonly type: ColumnType;
  /** 1 for an OPTIONAL top-level column, 0 for REQUIRED. */
  readonly maxDefinition: number;
  readonly codec: string;
  readonly compressors: Compressors;
  readonly rows: number;
  /** The chunk's bytes (dictionary page, then data pages). */
  readonly chunk: Uint8Array;
}

export function decodeColumnChunk(input: ColumnChunkInput): DecodedColumn {
  const sink =
    input.type === 'numeric'
      ? new NumberSink(input.rows, numberKind(input.element), decimalFactor(input.element))
      : input.type === 'boolean'
        ? new BoolSink(input.rows)
        : new TextSink(input.rows);
  const { chunk, element, codec, compressors, maxDefinition } = input;
  const reader: DataReader = {
    view: new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength),
    offset: 0,
  };
  const decoder = {
    columnName: element.name,
    type: element.type!,
    element,
    schemaPath: schemaPathOf(element, maxDefinition),
    codec,
    compressors,
    parsers: undefined as never,
  };
  let row = 0;
  while (row < input.rows && reader.offset < chunk.byteLength - 1) {
    const header = parquetHeader(reader);
    const compressed = chunk.subarray(reader.offset, reader.offset + header.compressed_page_size);
    reader.offset += header.compressed_page_size;
    if (header.type === 'DICTIONARY_PAGE') {
      const page = decompressPage(compressed, header.uncompressed_page_size, codec as never, compressors);
      const count = header.dictionary_page_header!.num_values;
      sink.dictionary(page, element, count);
    } else if (header.type === 'DATA_PAGE') {
      const daph = header.data_page_header!;
      const page = decompressPage(compressed, header.uncompressed_page_size, codec as never, compressors);
      const count = daph.num_values;
      const encoding = daph.encoding;
      const fast = encoding === 'PLAIN' || encoding === 'PLAIN_DICTIONARY' || encoding === 'RLE_DICTIONARY';
      if (!fast) {
        const { definitionLevels, dataPage } = readDataPage(page, daph, decoder as never);
        sink.generic(row, count, definitionLevels ?? [], dataPage as ArrayLike<unknown>, maxDefinition);
      } else {
        const pageReader: DataReader = {
          view: new DataView(page.buffer, page.byteOffset, page.byteLength),
          offset: 0,
        };
        // Definition levels of a flat OPTIONAL column are 0/1 at bit width 1: decoded straight into
        // the validity bitmap (bit-packed runs have Arrow's bit order already).
        const present =
          maxDefinition > 0
            ? readValidity(pageReader, count, sink.valid, row)
            : fillValid(sink.valid, row, count);
        sink.nulls += count - present;
        if (encoding === 'PLAIN') sink.plain(row, count, present, pageReader, element);
        else {
          const width = pageReader.view.getUint8(pageReader.offset++);
          const indices = scratchIndices(present);
          if (width > 24)
            readRleBitPackedHybrid(pageReader, width, indices, page.byteLength - pageReader.offset);
          else if (width > 0) readIndices(page, pageReader.offset, width, indices);
          else indices.fill(0);
          sink.indexed(row, count, present, indices);
        }
      }
      row += count;
    } else if (header.type === 'DATA_PAGE_V2') {
      const { definitionLevels, dataPage } = readDataPageV2(compressed, header, decoder as never);
      const count = header.data_page_header_v2!.num_values;
      const values =
        header.data_page_header_v2!.encoding.endsWith('_DICTIONARY') && sink.dict
          ? { indices: dataPage as ArrayLike<number> }
          : dataPage;
      if ('indices' in values) {
        let present = 0;
        if (definitionLevels && definitionLevels.length > 0) {
          for (let j = 0; j < count; j++) {
            if (definitionLevels[j] !== maxDefinition) continue;
            const i = row + j;
            sink.valid[i >> 3]! |= 1 << (i & 7);
            present++;
          }
        } else present = fillValid(sink.valid, row, count);
        sink.nulls += count - present;
        sink.indexed(row, count, present, Int32Array.from(values.indices));
      } else sink.generic(row, count, definitionLevels ?? [], values as ArrayLike<unknown>, maxDefinition);
      row += count;
    }
  }
  if (row !== input.rows)
    throw new Error(`column ${element.name} holds ${row} values where the row group has ${input.rows} rows`);
  return sink.finish();
}

/** hyparquet's decoders read only the definition and repetition levels from the schema path. */
function schemaPathOf(element: SchemaElement, maxDefinition: number) {
  const root = { element: { name: 'root', repetition_type: 'REQUIRED' }, children: [], count: 1 };
  const leaf = {
    element: { ...element, repetition_type: maxDefinition > 0 ? 'OPTIONAL' : 'REQUIRED' },
    children: [],
    count: 1,
  };
  return [root, leaf];
}

function numberKind(element: SchemaElement): NumberKind {
  const logical = element.logical_type as { type: string; bitWidth?: number; isSigned?: boolean } | undefined;
  const unsigned =
    element.converted_type === 'UINT_32' ||
    element.converted_type === 'UINT_64' ||
    (logical?.type === 'INTEGER' && logical.isSigned === false);
  switch (element.type) {
    case 'DOUBLE':
      return 'double';
    case 'FLOAT':
      return 'float';
    case 'INT32':
      return unsigned ? 'uint32' : 'int32';
    default:
      return unsigned ? 'uint64' : 'int64';
  }
}

function decimalFactor(element: SchemaElement): number {
  const logical = element.logical_type as { type: string; scale?: number } | undefined;
  if (element.converted_type === 'DECIMAL' || logical?.type === 'DECIMAL')
    return 10 ** -(element.scale ?? logical?.scale ?? 0);
  return 1;
}

abstract class Sink {
  readonly valid: Uint8Array;
  nulls = 0;
  abstract readonly dict: boolean;
  constructor(readonly rows: number) {
    this.valid = new Uint8Array((rows + 7) >> 3);
  }
  abstract dictionary(page: Uint8Array, element: SchemaElement, count: number): void;
  /** A PLAIN page's `present` values into rows [row, row+count), placed by the validity bitmap. */
  abstract plain(
    row: number,
    count: number,
    present: number,
    reader: DataReader,
    element: SchemaElement,
  ): void;
  /** A dictionary page's entries `indices[k]` into rows [row, row+count), placed by the bitmap. */
  abstract indexed(row: number, count: number, present: number, indices: Int32Array): void;
  /** Values as hyparquet decoded them (present values only), placed by the definition levels. */
  abstract generic(
    row: number,
    count: number,
    defs: ArrayLike<number>,
    values: ArrayLike<unknown>,
    maxDefinition: number,
  ): void;
  abstract finish(): DecodedColumn;

  /** Marks rows [row, row+count) valid where defs says present (all when defs is absent). */
  protected mark(row: number, count: number, defs: ArrayLike<number> | undefined, max = 1): void {
    const valid = this.valid;
    if (!defs || defs.length === 0) {
      let i = row;
      const end = row + count;
      for (; i < end && (i & 7) !== 0; i++) valid[i >> 3]! |= 1 << (i & 7);
      for (; i + 8 <= end; i += 8) valid[i >> 3] = 0xff;
      for (; i < end; i++) valid[i >> 3]! |= 1 << (i & 7);
      return;
    }
    for (let j = 0; j < count; j++) {
      if (defs[j] === max) {
        const i = row + j;
        valid[i >> 3]! |= 1 << (i & 7);
      } else this.nulls++;
    }
  }
}

class NumberSink extends Sink {
  readonly out: Float64Array;
  private dictValues: Float64Array | undefined;
  readonly dict = true;
  constructor(
    rows: number,
    private readonly kind: NumberKind,
    private readonly factor: number,
  ) {
    super(rows);
    this.out = new Float64Array(rows);
  }

  /** Stored values of a PLAIN run as numbers (typed views over the page; no BigInt per value). */
  private numbers(reader: DataReader, count: number, element: SchemaElement): ArrayLike<number> {
    const kind = this.kind;
    if (kind === 'double' && this.factor === 1) {
      // Through a reused aligned scratch (an unaligned page offset would make readPlain allocate).
      const view = reader.view;
      const bytes = new Uint8Array(view.buffer, view.byteOffset + reader.offset, count * 8);
      reader.offset += count * 8;
      const scratch = scratchDoubles(count);
      new Uint8Array(scratch.buffer, 0, count * 8).set(bytes);
      return scratch;
    }
    if (kind === 'double' || kind === 'float') {
      const values = readPlain(reader, element.type!, count, element.type_length) as ArrayLike<number>;
      return this.factor === 1 ? values : Float64Array.from(values, (v) => v * this.factor);
    }
    if (kind === 'int32' || kind === 'uint32') {
      const values = readPlain(reader, 'INT32', count, undefined) as Int32Array;
      const out = new Float64Array(count);
      if (kind === 'int32') for (let i = 0; i < count; i++) out[i] = values[i]! * this.factor;
      else for (let i = 0; i < count; i++) out[i] = (values[i]! >>> 0) * this.factor;
      return out;
    }
    const values = readPlain(reader, 'INT64', count, undefined) as BigInt64Array;
    const words = new Int32Array(values.buffer, values.byteOffset, count * 2);
    const out = new Float64Array(count);
    const signed = kind === 'int64';
    for (let i = 0; i < count; i++) {
      const low = words[2 * i]! >>> 0;
      const high = words[2 * i + 1]!;
      out[i] = ((signed ? high : high >>> 0) * 4294967296 + low) * this.factor;
    }
    return out;
  }

  dictionary(page: Uint8Array, element: SchemaElement, count: number): void {
    const reader = { view: new DataView(page.buffer, page.byteOffset, page.byteLength), offset: 0 };
    this.dictValues = Float64Array.from(this.numbers(reader, count, element));
  }

  plain(row: number, count: number, present: number, reader: DataReader, element: SchemaElement): void {
    const out = this.out;
    if (present === count && this.kind === 'double' && this.factor === 1) {
      // Little-endian doubles as stored: one copy from the page into the column, aligned or not.
      const view = reader.view;
      const bytes = new Uint8Array(view.buffer, view.byteOffset + reader.offset, count * 8);
      new Uint8Array(out.buffer, out.byteOffset + row * 8, count * 8).set(bytes);
      reader.offset += count * 8;
      return;
    }
    const values = this.numbers(reader, present, element);
    if (present === count) {
      if (values instanceof Float64Array) out.set(values, row);
      else for (let j = 0; j < count; j++) out[row + j] = values[j]!;
      return;
    }
    const valid = this.valid;
    let k = 0;
    const end = row + count;
    for (let i = row; i < end; i++) if ((valid[i >> 3]! >> (i & 7)) & 1) out[i] = values[k++]!;
  }

  indexed(row: number, count: number, present: number, indices: Int32Array): void {
    const dict = this.dictValues;
    if (!dict) throw new Error('a dictionary-encoded page without a dictionary page');
    const out = this.out;
    if (present === count) {
      for (let j = 0; j < count; j++) out[row + j] = dict[indices[j]!]!;
      return;
    }
    const valid = this.valid;
    let k = 0;
    const end = row + count;
    for (let i = row; i < end; i++) if ((valid[i >> 3]! >> (i & 7)) & 1) out[i] = dict[indices[k++]!]!;
  }

  generic(
    row: number,
    count: number,
    defs: ArrayLike<number>,
    values: ArrayLike<unknown>,
    maxDefinition: number,
  ): void {
    let k = 0;
    for (let j = 0; j < count; j++) {
      if (defs.length > 0 && defs[j] !== maxDefinition) continue;
      const v = values[k++];
      this.out[row + j] = (typeof v === 'bigint' ? Number(v) : (v as number)) * this.factor;
    }
    this.mark(row, count, defs, maxDefinition);
  }

  finish(): DecodedColumn {
    return { type: 'numeric', rows: this.rows, nulls: this.nulls, valid: this.valid, numbers: this.out };
  }
}

class BoolSink extends Sink {
  readonly bits: Uint8Array;
  private dictValues: ArrayLike<unknown> | undefined;
  readonly dict = true;
  constructor(rows: number) {
    super(rows);
    this.bits = new Uint8Array((rows + 7) >> 3);
  }
  dictionary(page: Uint8Array, _element: SchemaElement, count: number): void {
    const reader = { view: new DataView(page.buffer, page.byteOffset, page.byteLength), offset: 0 };
    this.dictValues = readPlain(reader, 'BOOLEAN', count, undefined) as ArrayLike<unknown>;
  }
  /** PLAIN booleans are bit-packed LSB first, as Arrow's: copied by bytes when no row is null. */
  plain(row: number, count: number, present: number, reader: DataReader): void {
    const page = new Uint8Array(
      reader.view.buffer,
      reader.view.byteOffset + reader.offset,
      (present + 7) >> 3,
    );
    const bits = this.bits;
    if (present === count && (row & 7) === 0) {
      bits.set(page.subarray(0, count >> 3), row >> 3);
      for (let j = count & ~7; j < count; j++)
        if ((page[j >> 3]! >> (j & 7)) & 1) bits[(row + j) >> 3]! |= 1 << ((row + j) & 7);
      return;
    }
    const valid = this.valid;
    let k = 0;
    for (let i = row; i < row + count; i++) {
      if (present !== count && !((valid[i >> 3]! >> (i & 7)) & 1)) continue;
      if ((page[k >> 3]! >> (k & 7)) & 1) bits[i >> 3]! |= 1 << (i & 7);
      k++;
    }
  }
  indexed(row: number, count: number, _present: number, indices: Int32Array): void {
    const dict = this.dictValues ?? [];
    const valid = this.valid;
    let k = 0;
    for (let i = row; i < row + count; i++) {
      if (!((valid[i >> 3]! >> (i & 7)) & 1)) continue;
      if (dict[indices[k++]!]) this.bits[i >> 3]! |= 1 << (i & 7);
    }
  }
  generic(
    row: number,
    count: number,
    defs: ArrayLike<number>,
    values: ArrayLike<unknown>,
    maxDefinition: number,
  ): void {
    let k = 0;
    for (let j = 0; j < count; j++) {
      if (defs.length > 0 && defs[j] !== maxDefinition) continue;
      const i = row + j;
      if (values[k++]) this.bits[i >> 3]! |= 1 << (i & 7);
    }
    this.mark(row, count, defs, maxDefinition);
  }
  finish(): DecodedColumn {
    return { type: 'boolean', rows: this.rows, nulls: this.nulls, valid: this.valid, bits: this.bits };
  }
}

class TextSink extends Sink {
  readonly offsets: Int32Array;
  private data: Uint8Array;
  private at = 0;
  private dictOffsets: Int32Array | undefined;
  private dictBytes: Uint8Array | undefined;
  readonly dict = true;
  constructor(rows: number) {
    super(rows);
    this.offsets = new Int32Array(rows + 1);
    this.data = new Uint8Array(Math.max(1024, rows * 8));
  }

  private reserve(extra: number): void {
    if (this.at + extra <= this.data.length) return;
    let size = this.data.length * 2;
    while (size < this.at + extra) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.data.subarray(0, this.at));
    this.data = grown;
  }

  dictionary(page: Uint8Array, _element: SchemaElement, count: number): void {
    const { offsets, bytes } = plainByteArrays(page, 0, count);
    this.dictOffsets = offsets;
    this.dictBytes = bytes;
  }

  plain(row: number, count: number, present: number, reader: DataReader): void {
    const page = new Uint8Array(reader.view.buffer, reader.view.byteOffset, reader.view.byteLength);
    const { offsets, bytes } = plainByteArrays(page, reader.offset, present);
    // The values are already in row order: one copy of the bytes, offsets shifted.
    this.reserve(bytes.length);
    this.data.set(bytes, this.at);
    const base = this.at;
    const out = this.offsets;
    if (present === count) for (let j = 0; j < count; j++) out[row + j + 1] = base + offsets[j + 1]!;
    else {
      const valid = this.valid;
      let k = 0;
      for (let i = row; i < row + count; i++) {
        if ((valid[i >> 3]! >> (i & 7)) & 1) k++;
        out[i + 1] = base + offsets[k]!;
      }
    }
    this.at += bytes.length;
  }

  indexed(row: number, count: number, present: number, indices: Int32Array): void {
    const from = this.dictOffsets;
    const dictBytes = this.dictBytes;
    if (!from || !dictBytes) throw new Error('a dictionary-encoded page without a dictionary page');
    let total = 0;
    for (let k = 0; k < present; k++) {
      const e = indices[k]!;
      total += from[e + 1]! - from[e]!;
    }
    this.reserve(total);
    const data = this.data;
    const offsets = this.offsets;
    const valid = this.valid;
    const dense = present === count;
    let at = this.at;
    let k = 0;
    for (let i = row; i < row + count; i++) {
      if (dense || (valid[i >> 3]! >> (i & 7)) & 1) {
        const e = indices[k++]!;
        const start = from[e]!;
        const end = from[e + 1]!;
        if (end - start < 24) for (let b = start; b < end; b++) data[at++] = dictBytes[b]!;
        else {
          data.set(dictBytes.subarray(start, end), at);
          at += end - start;
        }
      }
      offsets[i + 1] = at;
    }
    this.at = at;
  }

  generic(
    row: number,
    count: number,
    defs: ArrayLike<number>,
    values: ArrayLike<unknown>,
    maxDefinition: number,
  ): void {
    let k = 0;
    for (let j = 0; j < count; j++) {
      if (defs.length === 0 || defs[j] === maxDefinition) {
        const v = values[k++];
        const b = v instanceof Uint8Array ? v : encoder.encode(String(v));
        this.reserve(b.length);
        this.data.set(b, this.at);
        this.at += b.length;
      }
      this.offsets[row + j + 1] = this.at;
    }
    this.mark(row, count, defs, maxDefinition);
  }

  finish(): DecodedColumn {
    return {
      type: 'categorical',
      rows: this.rows,
      nulls: this.nulls,
      valid: this.valid,
      offsets: this.offsets,
      bytes: this.data.subarray(0, this.at),
    };
  }
}

const encoder = new TextEncoder();

/** `count` PLAIN BYTE_ARRAY values (4-byte little-endian length, then the bytes) as offsets over the page. */
function plainByteArrays(
  page: Uint8Array,
  start: number,
  count: number,
): { offsets: Int32Array; bytes: Uint8Array } {
  // Offsets into a compacted copy: the values are not contiguous in the page (lengths sit between them).
  const offsets = new Int32Array(count + 1);
  const view = new DataView(page.buffer, page.byteOffset, page.byteLength);
  let total = 0;
  let at = start;
  for (let i = 0; i < count; i++) {
    const length = view.getUint32(at, true);
    at += 4 + length;
    total += length;
    offsets[i + 1] = total;
  }
  if (at > page.byteLength) throw new Error('a PLAIN byte array runs past the end of its page');
  const bytes = new Uint8Array(total);
  at = start;
  for (let i = 0; i < count; i++) {
    const length = offsets[i + 1]! - offsets[i]!;
    at += 4;
    const dest = offsets[i]!;
    if (length < 24) for (let b = 0; b < length; b++) bytes[dest + b] = page[at + b]!;
    else bytes.set(page.subarray(at, at + length), dest);
    at += length;
  }
  return { offsets, bytes };
}

let indicesScratch = new Int32Array(1 << 16);
let doublesScratch = new Float64Array(1 << 16);

/** A reused aligned array for one page's doubles (consumed before the next page). */
function scratchDoubles(n: number): Float64Array {
  if (doublesScratch.length < n) doublesScratch = new Float64Array(Math.max(n, doublesScratch.length * 2));
  return doublesScratch.subarray(0, n);
}

/** A reused array for one page's dictionary indices (copied out before the next page). */
function scratchIndices(n: number): Int32Array {
  if (indicesScratch.length < n) indicesScratch = new Int32Array(Math.max(n, indicesScratch.length * 2));
  return indicesScratch.subarray(0, n);
}

/** Sets bits [row, row+count) of `valid`; returns count. */
function fillValid(valid: Uint8Array, row: number, count: number): number {
  let i = row;
  const end = row + count;
  for (; i < end && (i & 7) !== 0; i++) valid[i >> 3]! |= 1 << (i & 7);
  if (i + 8 <= end) {
    valid.fill(0xff, i >> 3, end >> 3);
    i = end & ~7;
  }
  for (; i < end; i++) valid[i >> 3]! |= 1 << (i & 7);
  return count;
}

const POPCOUNT = Uint8Array.from({ length: 256 }, (_, b) => {
  let n = 0;
  for (let x = b; x; x >>= 1) n += x & 1;
  return n;
});

/**
 * Decodes `count` definition levels of bit width 1 (a 4-byte length, then RLE / bit-packed runs)
 * into bits [row, row+count) of `valid`; returns how many are set (present values).
 */
function readValidity(reader: DataReader, count: number, valid: Uint8Array, row: number): number {
  const view = reader.view;
  const length = view.getUint32(reader.offset, true);
  const start = reader.offset + 4;
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  let at = start;
  let seen = 0;
  let present = 0;
  while (seen < count) {
    let header = 0;
    let shift = 0;
    let byte: number;
    do {
      byte = bytes[at++]!;
      header |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80);
    if (header & 1) {
      const groups = header >>> 1;
      const take = Math.min(groups * 8, count - seen);
      const whole = take >> 3;
      const dest = row + seen;
      const shiftBits = dest & 7;
      let d = dest >> 3;
      for (let g = 0; g < whole; g++) {
        const b = bytes[at + g]!;
        present += POPCOUNT[b]!;
        if (shiftBits === 0) valid[d++] = b;
        else {
          valid[d]! |= (b << shiftBits) & 0xff;
          valid[++d]! |= b >> (8 - shiftBits);
        }
      }
      for (let bit = whole * 8; bit < take; bit++) {
        if ((bytes[at + (bit >> 3)]! >> (bit & 7)) & 1) {
          const i = dest + bit;
          valid[i >> 3]! |= 1 << (i & 7);
          present++;
        }
      }
      at += groups;
      seen += take;
    } else {
      const take = Math.min(header >>> 1, count - seen);
      if (bytes[at++]! & 1) {
        fillValid(valid, row + seen, take);
        present += take;
      }
      seen += take;
    }
  }
  reader.offset = start + length;
  return present;
}

/**
 * Dictionary indices of bit width <= 24 (RLE and bit-packed runs) into `out`, reading the page's
 * bytes directly: hyparquet's general decoder goes through a DataView per byte, which was the
 * largest single cost of a dictionary-encoded column.
 */
function readIndices(page: Uint8Array, start: number, width: number, out: Int32Array): void {
  const count = out.length;
  const mask = (1 << width) - 1;
  const valueBytes = (width + 7) >> 3;
  let at = start;
  let seen = 0;
  while (seen < count) {
    let header = 0;
    let shift = 0;
    let byte: number;
    do {
      byte = page[at++]!;
      header |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80);
    if (header & 1) {
      const values = (header >>> 1) * 8;
      const take = Math.min(values, count - seen);
      let acc = 0;
      let bits = 0;
      let p = at;
      for (let v = 0; v < take; v++) {
        while (bits < width) {
          acc |= page[p++]! << bits;
          bits += 8;
        }
        out[seen + v] = acc & mask;
        acc >>>= width;
        bits -= width;
      }
      at += (values * width) >> 3;
      seen += take;
    } else {
      const run = header >>> 1;
      let value = 0;
      for (let b = 0; b < valueBytes; b++) value |= page[at++]! << (8 * b);
      const take = Math.min(run, count - seen);
      out.fill(value, seen, seen + take);
      seen += take;
    }
  }
}
