import type { Kysely } from '../vendor/kysely.js';

/**
 * One schema step, the same for SQLite and PostgreSQL: written with Kysely's schema builder and the
 * dialect-neutral column types only (text, integer, bigint). Each runs in the migration transaction.
 */
export interface Migration {
  /** 1, 2, 3…: the schema version the database has once this migration ran. */
  readonly version: number;
  readonly name: string;
  up(db: Kysely<unknown>): Promise<void>;
}
