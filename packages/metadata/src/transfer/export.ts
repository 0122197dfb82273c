import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { StrataError } from '@strata/core';
import { currentSchemaVersion } from '../migrations/index.js';
import type { SqlStrataDatabase } from '../strata-database.js';
import { type Kysely, sql } from '../vendor/kysely.js';
import {
  type ExportHeader,
  type ExportTrailer,
  type TableSpec,
  type TransferCounts,
  transferTables,
} from './tables.js';

export interface ExportOptions {
  /** Rows read per query (default 1000); the export never holds more than one page in memory. */
  readonly pageSize?: number;
}

/**
 * Writes the whole store as JSON lines: a header, one `{"table","row"}` line per row (parents before
 * children), and a trailer with the row counts. Reads one consistent snapshot (a read-only,
 * repeatable-read transaction) page by page, honouring the stream's back-pressure.
 */
export async function exportToStream(
  store: SqlStrataDatabase,
  out: Writable,
  options: ExportOptions = {},
): Promise<TransferCounts> {
  const pageSize = options.pageSize ?? 1000;
  const write = async (value: unknown) => {
    if (!out.write(`${JSON.stringify(value)}\n`)) await once(out, 'drain');
  };
  const header: ExportHeader = {
    format: 'strata-metadata',
    formatVersion: 1,
    schemaVersion: currentSchemaVersion,
    source: store.url,
    exportedAt: Date.now(),
  };
  await write(header);
  const counts = {} as TransferCounts;
  await store.context.db
    .transaction()
    .setAccessMode('read only')
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      for (const table of transferTables) {
        counts[table.name] = 0;
        for await (const rows of pages(
          trx as unknown as Kysely<Record<string, Record<string, unknown>>>,
          table,
          pageSize,
        )) {
          for (const row of rows) await write({ table: table.name, row });
          counts[table.name] += rows.length;
        }
      }
    });
  const trailer: ExportTrailer = { end: true, counts };
  await write(trailer);
  return counts;
}

/** Keyset pagination over the primary key: each page is one indexed range scan, whatever the table size. */
async function* pages(
  db: Kysely<Record<string, Record<string, unknown>>>,
  table: TableSpec,
  pageSize: number,
): AsyncGenerator<Record<string, unknown>[]> {
  let after: unknown[] | undefined;
  for (;;) {
    let query = db.selectFrom(table.name).select(table.columns as string[]);
    if (after !== undefined) {
      const keys = sql.join(table.key.map((k) => sql.ref(k)));
      const values = sql.join(after.map((v) => sql`${v}`));
      query = query.where(sql<boolean>`(${keys}) > (${values})`);
    }
    for (const k of table.key) query = query.orderBy(sql.ref(k), 'asc');
    const rows = await query.limit(pageSize).execute();
    if (rows.length > 0) yield rows;
    if (rows.length < pageSize) return;
    const last = rows[rows.length - 1]!;
    after = table.key.map((k) => last[k]);
  }
}

/** `strata export FILE`: the store into FILE, written to a temporary file first (no half-written FILE). */
export async function exportStore(
  store: SqlStrataDatabase,
  file: string,
  options: ExportOptions = {},
): Promise<TransferCounts> {
  await requireFolder(dirname(resolve(file)));
  const temp = `${file}.${process.pid}.tmp`;
  const out = createWriteStream(temp);
  try {
    const counts = await exportToStream(store, out, options);
    out.end();
    await once(out, 'finish');
    await rename(temp, file);
    return counts;
  } catch (error) {
    out.destroy();
    await rm(temp, { force: true });
    throw error;
  }
}

/** The export's folder must exist: named in the error, rather than the temporary file inside it. */
async function requireFolder(folder: string): Promise<void> {
  const info = await stat(folder).catch(() => undefined);
  if (info?.isDirectory()) return;
  throw new StrataError(`cannot export to ${folder}: ${info ? 'it is not a folder' : 'no such folder'}`, {
    code: 'no_such_file',
    field: 'file',
    value: folder,
    fix: 'create the folder first (mkdir -p), or give a path in an existing folder',
  });
}
