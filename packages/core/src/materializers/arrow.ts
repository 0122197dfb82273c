import type { Table } from 'apache-arrow';
import { StrataError } from '../errors/strata-error.js';
import { writeChunk } from '../util/stream.js';
import type { Materializer } from './materializer.js';

/**
 * apache-arrow (about 140 modules, ~0.15 s of CPU to load) is imported on the first save or load, not
 * when the registry is built: a run whose outputs are numbers and JSON never loads it.
 */
let arrowModule: typeof import('apache-arrow') | undefined;
async function arrow(): Promise<typeof import('apache-arrow')> {
  arrowModule ??= await import('apache-arrow');
  return arrowModule;
}

/**
 * Recognizes a Table without loading apache-arrow: the Table class carries `Symbol.toStringTag`
 * 'Table' as a static member (set by Arrow itself), and a table has `batches` and a `schema`.
 * (`save` then checks `instanceof` against the loaded module.)
 */
export function isArrowTable(value: unknown): value is Table {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as {
    constructor?: { [Symbol.toStringTag]?: unknown };
    batches?: unknown;
    schema?: unknown;
  };
  return (
    v.constructor?.[Symbol.toStringTag] === 'Table' &&
    Array.isArray(v.batches) &&
    typeof v.schema === 'object' &&
    v.schema !== null
  );
}

/** Tabular data as an Arrow IPC stream: columnar, typed, readable from Python and other tools. */
export const arrowMaterializer: Materializer<Table> = {
  id: 'strata.arrow',
  version: 1,
  kinds: ['table'],
  accepts: isArrowTable,
  async save(table, sink) {
    const { RecordBatchStreamWriter, Table: ArrowTable } = await arrow();
    if (!(table instanceof ArrowTable)) {
      throw new StrataError('the Arrow table to save comes from another copy of apache-arrow', {
        code: 'foreign_arrow_table',
        field: 'output',
        value: String((table as { constructor?: { name?: string } })?.constructor?.name),
        fix: 'depend on the same apache-arrow version as @strata/core (one copy in node_modules)',
      });
    }
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
    const { RecordBatchReader, Table: ArrowTable } = await arrow();
    const reader = await RecordBatchReader.from(source as AsyncIterable<Uint8Array>);
    const batches = [];
    for await (const batch of reader) batches.push(batch);
    return batches.length > 0 ? new ArrowTable(batches) : new ArrowTable(reader.schema);
  },
};
