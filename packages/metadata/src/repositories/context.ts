import type { Schema } from '../schema/tables.js';
import type { SqlTraits } from '../sql-traits.js';
import type { Kysely, SelectQueryBuilder } from '../vendor/kysely.js';

export type Db = Kysely<Schema>;

/** What every repository gets: the Kysely instance and the dialect's traits. */
export interface RepositoryContext {
  readonly db: Db;
  readonly traits: SqlTraits;
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
