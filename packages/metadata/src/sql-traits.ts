import type { Schema } from './schema/tables.js';
import type { Kysely } from './vendor/kysely.js';

/**
 * The few places where SQLite and PostgreSQL differ, behind one small interface so the repositories,
 * the schema and the migrations stay the same for both.
 */
export interface SqlTraits {
  readonly dialect: 'sqlite' | 'postgres';
  /**
   * Whether `SELECT … FOR UPDATE` is needed to serialize read-modify-write transactions. SQLite write
   * transactions start with BEGIN IMMEDIATE and are serialized already (and it has no FOR UPDATE).
   */
  readonly rowLocks: boolean;
  isUniqueViolation(error: unknown): boolean;
  isForeignKeyViolation(error: unknown): boolean;
  isMissingTable(error: unknown): boolean;
  /**
   * First statement of the migration transaction: make sure only one process migrates at a time
   * (PostgreSQL: an advisory transaction lock; SQLite: nothing, BEGIN IMMEDIATE holds the write lock).
   */
  lockForMigration(trx: Kysely<Schema>): Promise<void>;
}

export function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}
