import { errorCode, type SqlTraits } from '../sql-traits.js';
import { sql } from '../vendor/kysely.js';

/** PostgreSQL traits; `schema` is the `?schema=` of the URL (created by the first migration). */
export function postgresTraits(schema: string | undefined): SqlTraits {
  return {
    dialect: 'postgres',
    rowLocks: true,
    isUniqueViolation: (error) => errorCode(error) === '23505',
    isForeignKeyViolation: (error) => errorCode(error) === '23503',
    isMissingTable: (error) => errorCode(error) === '42P01',
    lockForMigration: async (trx) => {
      // Held until the transaction ends: a second process starting at the same time waits here, then
      // sees the new schema version and has nothing to do.
      const key = `strata.migrate.${schema ?? ''}`;
      await sql`select pg_advisory_xact_lock(hashtext(${key}))`.execute(trx);
      if (schema !== undefined) await sql`create schema if not exists ${sql.id(schema)}`.execute(trx);
    },
  };
}
