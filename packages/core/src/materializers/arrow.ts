import { Table as ArrowTable, RecordBatchReader, RecordBatchStreamWriter, type Table } from 'apache-arrow';
import { writeChunk } from '../util/stream.js';
import type { Materializer } from './materializer.js';

/** Tabular data as an Arrow IPC stream: columnar, typed, readable from Python and other tools. */
export const arrowMaterializer: Materializer<Table> = {
  id: 'strata.arrow',
  version: 1,
  kinds: ['table'],
  accepts: (value) => value instanceof ArrowTable,
  async save(table, sink) {
    // Consume the writer's byte queue while batches are written, so at most a batch is buffered.
    const writer = new RecordBatchStreamWriter();
    const pump = (async () => {
      for await (const chunk of writer) await writeChunk(sink, chunk);
    })();
    writer.writeAll(table);
    writer.close();
    await pump;
    const schema = table.schema.fields.map((f) => ({
      name: f.name,
      type: String(f.type),
      nullable: f.nullable,
    }));
    const head = table
      .slice(0, 3)
      .toArray()
      .map((row) => row?.toJSON?.() ?? row);
    return {
      schema,
      shape: [table.numRows, table.numCols],
      preview: JSON.stringify(head, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)).slice(0, 300),
    };
  },
  async load(source) {
    const reader = await RecordBatchReader.from(source as AsyncIterable<Uint8Array>);
    const batches = [];
    for await (const batch of reader) batches.push(batch);
    return batches.length > 0 ? new ArrowTable(batches) : new ArrowTable(reader.schema);
  },
};
