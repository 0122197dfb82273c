import type { Schema } from '../schema/tables.js';
import type { SqlTraits } from '../sql-traits.js';
import type { Kysely, SelectQueryBuilder } from '../vendor/kysely.js';

export type Db = Kysely<Schema>;

/** Runs one write statement (SQL text with `?` placeholders) at once, returning the rows it changed. */
export type RunNow = (sql: string, parameters: readonly unknown[]) => number;

/**
 * Runs `work` in one write transaction with no await inside it: committed when it returns, rolled back
 * if it throws. The caller queues behind any other query or transaction of the connection as usual.
 */
export type WriteNow = <T>(work: (run: RunNow) => T) => Promise<T>;

/**
 * Runs one read statement (SQL text with `?` placeholders) on the connection once it is free, and
 * returns its rows as arrays of column values in the order of the select list.
 */
export type ReadNow = (sql: string, parameters: readonly unknown[]) => Promise<unknown[][]>;

/** What every repository gets: the Kysely instance and the dialect's traits. */
export interface RepositoryContext {
  readonly db: Db;
  readonly traits: SqlTraits;
  /**
   * SQLite only (its driver is synchronous): plain SQL statements run at once in one transaction,
   * without Kysely's per-statement promises. The step completion path, a few statements per step, uses
   * it (completion-sql.ts); a transaction through Kysely cost about as much CPU as the statements.
   */
  readonly writeNow?: WriteNow;
  /**
   * SQLite only: a read of many rows (a map step's events, a run's step statuses) as arrays of values,
   * turned into records directly. Through Kysely each row was first an object with a property per
   * column (better-sqlite3 builds those at about twice the cost of an array), then copied into the
   * record: about 9 µs a row of an event with its artifact, against 4-5 µs so (read-sql.ts).
   */
  readonly readNow?: ReadNow;
}

/**
 * Runs `work` in one write transaction (SQLite: BEGIN IMMEDIATE, so concurrent processes queue on the
 * busy timeout instead of failing). Everything it wrote is rolled back if it throws.
 */
export function writeTransaction<T>(ctx: RepositoryContext, work: (trx: Db) => Promise<T>): Promise<T> {
  return ctx.db.transaction().execute(work);
}

/** `FOR UPDATE` where the dialect needs it to serialize a read-modify-write (see SqlTraits.rowLocks). */
export function forUpdate<DB, TB extends keyof DB, O>(
  ctx: RepositoryContext,
  query: SelectQueryBuilder<DB, TB, O>,
): SelectQueryBuilder<DB, TB, O> {
  return ctx.traits.rowLocks ? query.forUpdate() : query;
}

/** Splits rows for multi-row inserts (SQLite and PostgreSQL cap the number of bound parameters). */
export function chunks<T>(items: readonly T[], size = 100): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
