import type { Writable } from 'node:stream';
import type { Data, RecordBatch, Table } from 'apache-arrow';
import { vectorFromArray } from 'apache-arrow';
import type {
  ColumnChunk,
  CompressionCodec,
  Encoding,
  FileMetaData,
  RowGroup,
  SchemaElement,
} from 'hyparquet';
import { ByteWriter } from 'hyparquet-writer';
import { writePageHeader } from 'hyparquet-writer/src/datapage.js';
import { writeRleBitPackedHybrid } from 'hyparquet-writer/src/encoding.js';
import { writeMetadata } from 'hyparquet-writer/src/metadata.js';
import { snappyCompress } from 'hyparquet-writer/src/snappy.js';
import type { ColumnType } from '../table.js';
import { columnTypeOfField } from '../table.js';
import { dictionaryOf } from './text-dictionary.js';

/**
 * Writes a table as Parquet: OPTIONAL DOUBLE, BOOLEAN and STRING (UTF8) columns, one row group per
 * `rowGroupRows` rows, v1 data pages of up to PAGE_ROWS rows, sent to `sink` row group by row group
 * (memory holds one row group's encoding). The pages are encoded here straight from the Arrow
 * buffers: validity bitmaps are Parquet's bit-packed definition levels as they are, doubles are
 * copied as bytes, strings are dictionary-encoded when they repeat. hyparquet-writer supplies the
 * thrift page headers, the footer, the RLE/bit-packed encoder and snappy; its column writer, which
 * takes one JS value per cell, is not used (it was 15x slower than pyarrow).
 *
 * Snappy is tried on each column chunk's first page: a chunk it shrinks by less than 3 % (random
 * doubles) is written UNCOMPRESSED, as compressing it would cost time and save nothing.
 */
export async function writeParquet(
  table: Table,
  sink: Writable,
  options: { readonly rowGroupRows?: number } = {},
): Promise<void> {
  const rowGroupRows = options.rowGroupRows ?? 131_072;
  const out = new Output(sink);
  const fields = table.schema.fields.map((field) => ({ name: field.name, type: columnTypeOfField(field) }));
  const schema: SchemaElement[] = [
    { name: 'root', num_children: fields.length },
    ...fields.map(({ name, type }) => elementOf(name, type)),
  ];
  const rowGroups: RowGroup[] = [];
  await out.write(MAGIC);
  for (let start = 0; start < table.numRows; start += rowGroupRows) {
    const rows = Math.min(rowGroupRows, table.numRows - start);
    const part = table.slice(start, start + rows);
    const columns: ColumnChunk[] = [];
    let totalBytes = 0n;
    for (const { name, type } of fields) {
      const data = contiguous(part, name);
      const chunk = writeColumnChunk(out, name, type, data, rows);
      columns.push(chunk);
      totalBytes += chunk.meta_data!.total_uncompressed_size;
    }
    rowGroups.push({ columns, total_byte_size: totalBytes, num_rows: BigInt(rows) });
    await out.flush();
  }
  const metadata: FileMetaData = {
    version: 1,
    schema,
    num_rows: BigInt(table.numRows),
    row_groups: rowGroups,
    created_by: 'strata',
    metadata_length: 0,
  };
  const footer = new ByteWriter();
  writeMetadata(footer as never, metadata);
  await out.write(new Uint8Array(footer.getBytes()));
  await out.write(MAGIC);
  await out.flush();
}

const MAGIC = new TextEncoder().encode('PAR1');
/** Rows per data page: 512 KiB of doubles. */
const PAGE_ROWS = 65_536;

function elementOf(name: string, type: ColumnType): SchemaElement {
  if (type === 'numeric') return { name, type: 'DOUBLE', repetition_type: 'OPTIONAL' };
  if (type === 'boolean') return { name, type: 'BOOLEAN', repetition_type: 'OPTIONAL' };
  return {
    name,
    type: 'BYTE_ARRAY',
    repetition_type: 'OPTIONAL',
    converted_type: 'UTF8',
    logical_type: { type: 'STRING' },
  };
}

/** One column of a slice as a single Arrow Data (a sliced table's column may span record batches). */
function contiguous(part: Table | RecordBatch, name: string): Data {
  const vector = part.getChild(name)!;
  if (vector.data.length === 1) return vector.data[0]!;
  // Rare (a row group across two batches): copy into one contiguous column.
  return vectorFromArray(vector.toArray() as never, vector.type).data[0]!;
}

/** The bytes written so far (positions for the footer) and a buffer flushed to the sink per row group. */
class Output {
  offset = 0;
  private parts: Uint8Array[] = [];
  constructor(private readonly sink: Writable) {}
  push(bytes: Uint8Array): void {
    this.parts.push(bytes);
    this.offset += bytes.length;
  }
  async write(bytes: Uint8Array): Promise<void> {
    this.push(bytes);
  }
  async flush(): Promise<void> {
    const parts = this.parts;
    this.parts = [];
    for (const part of parts) {
      if (!this.sink.write(part)) await new Promise<void>((resolve) => this.sink.once('drain', resolve));
    }
  }
}

/** Is row i of `data` present? */
function validBit(data: Data, i: number): boolean {
  const bitmap = data.nullBitmap;
  if (!bitmap || data.nullCount === 0) return true;
  const j = data.offset + i;
  return ((bitmap[j >> 3]! >> (j & 7)) & 1) === 1;
}

function writeColumnChunk(
  out: Output,
  name: string,
  type: ColumnType,
  data: Data,
  rows: number,
): ColumnChunk {
  const start = out.offset;
  let uncompressed = 0;
  const encodings = new Set<Encoding>(['RLE']);
  let codec: CompressionCodec = 'SNAPPY';
  let decided = false;
  let dictionaryOffset: bigint | undefined;
  let nulls = 0;

  const emit = (header: Parameters<typeof writePageHeader>[1], body: Uint8Array) => {
    if (!decided) {
      decided = true;
      const trial = snappyCompress(body);
      if (trial.length > body.length * 0.97) codec = 'UNCOMPRESSED';
      return emitWith(header, body, codec === 'SNAPPY' ? trial : body);
    }
    return emitWith(header, body, codec === 'SNAPPY' ? snappyCompress(body) : body);
  };
  const emitWith = (header: Parameters<typeof writePageHeader>[1], body: Uint8Array, stored: Uint8Array) => {
    const headerWriter = new ByteWriter();
    writePageHeader(headerWriter as never, {
      ...header,
      uncompressed_page_size: body.length,
      compressed_page_size: stored.length,
    });
    const headerBytes = new Uint8Array(headerWriter.getBytes());
    out.push(headerBytes);
    out.push(stored);
    uncompressed += headerBytes.length + body.length;
  };

  // Strings: a dictionary when values repeat enough to pay for it.
  const dictionary = type === 'categorical' ? dictionaryOf(data, rows) : undefined;
  if (dictionary) {
    dictionaryOffset = BigInt(out.offset);
    emit(
      {
        type: 'DICTIONARY_PAGE',
        uncompressed_page_size: 0,
        compressed_page_size: 0,
        dictionary_page_header: { num_values: dictionary.count, encoding: 'PLAIN' },
      },
      dictionary.page,
    );
    encodings.add('PLAIN');
    encodings.add('RLE_DICTIONARY');
  } else encodings.add('PLAIN');
  const dataOffset = BigInt(out.offset);

  for (let from = 0; from < rows; from += PAGE_ROWS) {
    const count = Math.min(PAGE_ROWS, rows - from);
    const body = new ByteWriter();
    const present = writeDefinitionLevels(body, data, from, count);
    nulls += count - present;
    if (dictionary) {
      const indices = new Int32Array(present);
      let k = 0;
      for (let j = 0; j < count; j++)
        if (validBit(data, from + j)) indices[k++] = dictionary.indices[from + j]!;
      body.appendUint8(dictionary.bitWidth);
      writeRleBitPackedHybrid(body as never, indices, dictionary.bitWidth);
    } else writeValues(body, type, data, from, count, present);
    emit(
      {
        type: 'DATA_PAGE',
        uncompressed_page_size: 0,
        compressed_page_size: 0,
        data_page_header: {
          num_values: count,
          encoding: dictionary ? 'RLE_DICTIONARY' : 'PLAIN',
          definition_level_encoding: 'RLE',
          repetition_level_encoding: 'RLE',
        },
      },
      new Uint8Array(body.getBytes()),
    );
  }
  const element = elementOf(name, type);
  return {
    file_offset: BigInt(start),
    meta_data: {
      type: element.type!,
      encodings: [...encodings],
      path_in_schema: [name],
      codec,
      num_values: BigInt(rows),
      total_uncompressed_size: BigInt(uncompressed),
      total_compressed_size: BigInt(out.offset - start),
      data_page_offset: dataOffset,
      ...(dictionaryOffset !== undefined ? { dictionary_page_offset: dictionaryOffset } : {}),
      statistics: { null_count: BigInt(nulls) },
    },
  };
}

/**
 * Definition levels (bit width 1, with their 4-byte length) of rows [from, from+count): one RLE run
 * when every row is present, else bit-packed runs copied from the validity bitmap (Parquet packs
 * them LSB first, as Arrow does). Returns the number of present rows.
 */
function writeDefinitionLevels(body: ByteWriter, data: Data, from: number, count: number): number {
  const bitmap = data.nullBitmap;
  if (!bitmap || data.nullCount === 0) {
    const run = new ByteWriter();
    run.appendVarInt(count << 1);
    run.appendUint8(1);
    body.appendUint32(run.offset);
    body.appendBytes(new Uint8Array(run.getBytes()));
    return count;
  }
  const levels = new ByteWriter();
  let present = 0;
  // Runs of at most 63 groups of 8, the largest most writers emit.
  for (let run = 0; run < count; run += 63 * 8) {
    const values = Math.min(63 * 8, count - run);
    const groups = (values + 7) >> 3;
    levels.appendVarInt((groups << 1) | 1);
    const bytes = new Uint8Array(groups);
    for (let v = 0; v < values; v++) {
      const j = data.offset + from + run + v;
      if ((bitmap[j >> 3]! >> (j & 7)) & 1) {
        bytes[v >> 3]! |= 1 << (v & 7);
        present++;
      }
    }
    levels.appendBytes(bytes);
  }
  body.appendUint32(levels.offset);
  body.appendBytes(new Uint8Array(levels.getBytes()));
  return present;
}

/** PLAIN values of the present rows of [from, from+count). */
function writeValues(
  body: ByteWriter,
  type: ColumnType,
  data: Data,
  from: number,
  count: number,
  present: number,
) {
  if (type === 'numeric') {
    const values = data.values as Float64Array;
    // Arrow slices a fixed-width column's values and a string column's offsets, but not bitmaps:
    // those index from data.offset.
    const base = from;
    if (present === count) {
      body.appendBytes(new Uint8Array(values.buffer, values.byteOffset + base * 8, count * 8));
      return;
    }
    const dense = new Float64Array(present);
    let k = 0;
    for (let j = 0; j < count; j++) if (validBit(data, from + j)) dense[k++] = values[base + j]!;
    body.appendBytes(new Uint8Array(dense.buffer));
    return;
  }
  if (type === 'boolean') {
    const values = data.values as Uint8Array;
    const bits = new Uint8Array((present + 7) >> 3);
    let k = 0;
    for (let j = 0; j < count; j++) {
      if (!validBit(data, from + j)) continue;
      const i = data.offset + from + j;
      if ((values[i >> 3]! >> (i & 7)) & 1) bits[k >> 3]! |= 1 << (k & 7);
      k++;
    }
    body.appendBytes(bits);
    return;
  }
  const offsets = data.valueOffsets as Int32Array;
  const bytes = data.values as Uint8Array;
  let total = 0;
  for (let j = 0; j < count; j++) {
    if (!validBit(data, from + j)) continue;
    const i = from + j;
    total += 4 + offsets[i + 1]! - offsets[i]!;
  }
  const page = new Uint8Array(total);
  const view = new DataView(page.buffer);
  let at = 0;
  for (let j = 0; j < count; j++) {
    if (!validBit(data, from + j)) continue;
    const i = from + j;
    const s = offsets[i]!;
    const e = offsets[i + 1]!;
    view.setUint32(at, e - s, true);
    page.set(bytes.subarray(s, e), at + 4);
    at += 4 + e - s;
  }
  body.appendBytes(page);
}
