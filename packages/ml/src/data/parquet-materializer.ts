import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Materializer } from '@strata/core/plugin';
import type { Table } from 'apache-arrow';
import { readDataset } from './ingest.js';
import { writeParquet } from './read/parquet-write.js';

/**
 * Tables stored as Parquet (snappy-compressed, row groups of 128 Ki rows): a large table takes a
 * fraction of its Arrow IPC size, and readers fetch only the columns they need. Opt in per output
 * (`materializer: parquetMaterializer`) or register it for the table kind; it never claims values
 * of `any` outputs, which stay with the Arrow materializer.
 */
export const parquetMaterializer: Materializer<Table> = {
  id: 'strata.parquet',
  version: 1,
  kinds: ['table'],
  accepts: () => false,
  async save(table, sink) {
    await writeParquet(table, sink);
    return {
      schema: table.schema.fields.map((f) => ({ name: f.name, type: String(f.type), nullable: f.nullable })),
      shape: [table.numRows, table.numCols],
      format: 'parquet',
    };
  },
  async load(source: Readable, scratchDir: string) {
    // Parquet is read footer first: land the bytes in the scratch directory, then read by ranges.
    const path = join(scratchDir, 'table.parquet');
    await pipeline(source, createWriteStream(path));
    return (await readDataset(path, { format: 'parquet' })).table;
  },
};
