import { createReadStream } from 'node:fs';
import { StrataError } from '@strata/core';
import { currentSchemaVersion } from '../migrations/index.js';
import type { RepositoryContext } from '../repositories/context.js';
import { crashActiveRuns } from '../repositories/owners.js';
import type { SqlStrataDatabase } from '../strata-database.js';
import type { Kysely } from '../vendor/kysely.js';
import {
  type ExportHeader,
  type TableName,
  type TableSpec,
  type TransferCounts,
  transferTables,
} from './tables.js';

type AnyDb = Kysely<Record<string, Record<string, unknown>>>;

const specs = new Map<string, TableSpec>(transferTables.map((t) => [t.name, t]));
const order = new Map<string, number>(transferTables.map((t, i) => [t.name, i]));
/** Rows per INSERT: at most 16 columns, well under both dialects' bound-parameter limits. */
const batchSize = 500;

function badFile(file: string, line: number, problem: string, value: unknown): StrataError {
  return new StrataError(`${file}, line ${line}: ${problem}`, {
    code: 'invalid_export_file',
    field: `line ${line}`,
    value,
    fix: 'import a complete file written by `strata export` (nothing was imported)',
  });
}

/**
 * `strata import FILE`: loads a `strata export` file into an empty store, in one transaction (a bad or
 * truncated file leaves the store as it was). A store that holds nothing but the automatically created
 * `default` stack counts as empty: those rows are replaced by the file's.
 */
export async function importStore(store: SqlStrataDatabase, file: string): Promise<TransferCounts> {
  // Imported here: only `strata import` reads lines, and readline costs every start ~1 ms.
  const { createInterface } = await import('node:readline');
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY });
  const iterator = lines[Symbol.asyncIterator]();
  try {
    let lineNo = 1;
    const first = await iterator.next().catch((error: unknown) => {
      throw new StrataError(`cannot read ${file}: ${(error as Error).message}`, {
        code: 'invalid_export_file',
        field: 'file',
        value: file,
        fix: 'give the path of a file written by `strata export`',
      });
    });
    const header = parse(file, lineNo, first.done ? '' : first.value) as Partial<ExportHeader>;
    if (header.format !== 'strata-metadata' || header.formatVersion !== 1) {
      throw badFile(file, 1, 'is not a Strata metadata export (no strata-metadata header)', header.format);
    }
    if (typeof header.schemaVersion !== 'number' || header.schemaVersion > currentSchemaVersion) {
      throw new StrataError(
        `${file} was exported at schema version ${header.schemaVersion}, newer than this Strata (schema version ${currentSchemaVersion})`,
        {
          code: 'schema_too_new',
          field: 'schemaVersion',
          value: header.schemaVersion,
          fix: 'import it with the Strata release that exported it (or a newer one)',
        },
      );
    }
    return await store.context.db.transaction().execute(async (trx) => {
      const db = trx as unknown as AnyDb;
      await assertEmpty(db, store.url);
      const counts = Object.fromEntries(transferTables.map((t) => [t.name, 0])) as TransferCounts;
      let batch: Record<string, unknown>[] = [];
      let current: TableSpec | undefined;
      const flush = async () => {
        if (current && batch.length > 0) await db.insertInto(current.name).values(batch).execute();
        batch = [];
      };
      let trailer: { counts?: Record<string, number> } | undefined;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
        lineNo++;
        if (next.value.trim() === '') continue;
        if (trailer) throw badFile(file, lineNo, 'has lines after the end marker', next.value.slice(0, 40));
        const entry = parse(file, lineNo, next.value) as { table?: string; row?: unknown; end?: true };
        if (entry.end === true) {
          trailer = entry as { counts?: Record<string, number> };
          continue;
        }
        const spec = specs.get(String(entry.table));
        if (!spec) throw badFile(file, lineNo, `unknown table "${entry.table}"`, entry.table);
        if (current !== spec) {
          if (current && order.get(spec.name)! < order.get(current.name)!) {
            throw badFile(file, lineNo, `rows of ${spec.name} after rows of ${current.name}`, spec.name);
          }
          await flush();
          current = spec;
        }
        batch.push(checkRow(file, lineNo, spec, entry.row));
        counts[spec.name as TableName]++;
        if (batch.length >= batchSize) await flush();
      }
      await flush();
      if (!trailer) throw badFile(file, lineNo, 'ends without the end marker: the file is truncated', null);
      for (const table of transferTables) {
        const expected = trailer.counts?.[table.name] ?? 0;
        if (expected !== counts[table.name]) {
          throw badFile(
            file,
            lineNo,
            `the end marker promises ${expected} rows of ${table.name}, the file holds ${counts[table.name]}`,
            expected,
          );
        }
      }
      // A run exported in flight goes on writing to the store it came from, if anywhere: here
      // nothing would ever end it (owners are not exported), so it would show `running` for good.
      await crashActiveRuns(
        trx as unknown as RepositoryContext['db'],
        `was pending or running when exported (imported from ${file}): nothing in this store can finish it; \`strata runs resume\` re-runs what did not complete`,
        Date.now(),
      );
      return counts;
    });
  } finally {
    lines.close();
  }
}

function parse(file: string, line: number, text: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text) as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw badFile(file, line, 'is not a JSON object', text.slice(0, 40));
}

function checkRow(file: string, line: number, spec: TableSpec, row: unknown): Record<string, unknown> {
  if (!row || typeof row !== 'object' || Array.isArray(row)) {
    throw badFile(file, line, `the ${spec.name} row is not an object`, row);
  }
  for (const key of Object.keys(row)) {
    if (!spec.columns.includes(key)) throw badFile(file, line, `${spec.name} has no column "${key}"`, key);
  }
  return row as Record<string, unknown>;
}

/**
 * Refuses a store that already holds history. The rows `openProject` creates on first use (the
 * `default` stack and its `default` components) do not count: they are deleted so the file's own take
 * their place.
 */
async function assertEmpty(db: AnyDb, url: string): Promise<void> {
  const found: string[] = [];
  for (const table of transferTables) {
    let query = db.selectFrom(table.name).select((eb) => eb.fn.countAll<number>().as('n'));
    if (table.name === 'stacks') query = query.where('name', '<>', 'default');
    if (table.name === 'components') query = query.where('name', '<>', 'default');
    if (table.name === 'stack_components') query = query.where('stack_name', '<>', 'default');
    const n = Number((await query.executeTakeFirst())?.n ?? 0);
    if (n > 0) found.push(`${n} ${table.name}`);
  }
  if (found.length > 0) {
    throw new StrataError(`the metadata database ${url} is not empty (${found.join(', ')})`, {
      code: 'store_not_empty',
      field: 'database',
      value: url,
      fix: 'import into a new, empty database (a fresh PostgreSQL database or schema, or a new SQLite file); imports never merge',
    });
  }
  await db.deleteFrom('stack_components').execute();
  await db.deleteFrom('stacks').execute();
  await db.deleteFrom('components').execute();
}
