import type { Writable } from 'node:stream';
import type { RecordBatch, Table } from 'apache-arrow';
import type { ColumnSource, Writer } from 'hyparquet-writer';
import { ByteWriter, ParquetWriter, schemaFromColumnData } from 'hyparquet-writer';
import type { ColumnType } from '../table.js';
import { columnTypeOfField } from '../table.js';

/** A hyparquet ByteWriter that hands its bytes over every ~1 MiB instead of growing one buffer. */
function chunkedWriter(): Writer & { take(): Uint8Array[] } {
  const writer = new ByteWriter() as unknown as Writer & { index: number; take(): Uint8Array[] };
  let chunks: Uint8Array[] = [];
  const grow = writer.ensure.bind(writer);
  const flush = () => {
    if (writer.index > 0) chunks.push(new Uint8Array(writer.buffer.slice(0, writer.index)));
    writer.index = 0;
  };
  writer.ensure = (size: number) => {
    if (writer.index > 1 << 20) flush();
    grow(size);
  };
  writer.finish = flush;
  writer.take = () => {
    flush();
    const out = chunks;
    chunks = [];
    return out;
  };
  return writer;
}

/** Arrow columns as hyparquet column sources: DOUBLE, BOOLEAN or STRING, nullable. */
function columnsOf(batch: RecordBatch | Table): ColumnSource[] {
  return batch.schema.fields.map((field) => {
    const type: ColumnType = columnTypeOfField(field);
    const vector = batch.getChild(field.name)!;
    const values: unknown[] = new Array(batch.numRows);
    for (let i = 0; i < batch.numRows; i++) {
      const v = vector.get(i);
      values[i] =
        v === null || v === undefined
          ? null
          : type === 'numeric'
            ? Number(v)
            : type === 'boolean'
              ? Boolean(v)
              : String(v);
    }
    return {
      name: field.name,
      data: values as ColumnSource['data'],
      type: type === 'numeric' ? 'DOUBLE' : type === 'boolean' ? 'BOOLEAN' : 'STRING',
      nullable: true,
    };
  });
}

/**
 * Writes a table as Parquet (snappy, one row group per record batch of up to `rowGroupRows`),
 * sending the bytes to `sink` row group by row group: memory holds one row group's encoding.
 */
export async function writeParquet(
  table: Table,
  sink: Writable,
  options: { readonly rowGroupRows?: number } = {},
): Promise<void> {
  const writer = chunkedWriter();
  const first = columnsOf(table.slice(0, 0));
  const parquet = new ParquetWriter({ writer, schema: schemaFromColumnData({ columnData: first }) });
  const rowGroupRows = options.rowGroupRows ?? 131_072;
  const send = async () => {
    for (const chunk of writer.take()) {
      if (!sink.write(chunk)) await new Promise<void>((resolve) => sink.once('drain', resolve));
    }
  };
  for (let start = 0; start < table.numRows; start += rowGroupRows) {
    const part = table.slice(start, Math.min(table.numRows, start + rowGroupRows));
    parquet.write({ columnData: columnsOf(part), rowGroupSize: part.numRows });
    await send();
  }
  await parquet.finish();
  await send();
}
