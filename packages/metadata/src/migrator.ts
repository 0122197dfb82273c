import { StrataError } from '@strata/core';
import type { Migration } from './migrations/index.js';
import { migrations as allMigrations } from './migrations/index.js';
import type { Schema } from './schema/tables.js';
import type { SqlTraits } from './sql-traits.js';
import type { Kysely } from './vendor/kysely.js';

export interface MigrationResult {
  /** Schema version before. */
  readonly from: number;
  /** Schema version after. */
  readonly to: number;
  /** `0002_name` of each migration applied, in order (empty when the database was up to date). */
  readonly applied: readonly string[];
}

export interface SchemaState {
  readonly current: number;
  readonly latest: number;
  readonly pending: readonly { readonly version: number; readonly name: string }[];
}

export function migrationLabel(m: Migration): string {
  return `${String(m.version).padStart(4, '0')}_${m.name}`;
}

/**
 * The newest version the code knows. Versions must increase but may have gaps: parallel branches each
 * own a number and land in any order, so a database is brought up by applying every migration it has
 * not recorded (see `appliedVersions`), not only those above its highest version.
 */
function latestOf(list: readonly Migration[]): number {
  list.forEach((m, i) => {
    const before = list[i - 1];
    if (m.version < 1 || (before !== undefined && m.version <= before.version))
      throw new Error(`migration ${migrationLabel(m)} is out of order: versions must increase`);
  });
  return list.at(-1)?.version ?? 0;
}

/** Every version recorded in the database (empty for an empty one). */
export async function appliedVersions(db: Kysely<Schema>, traits: SqlTraits): Promise<Set<number>> {
  try {
    const rows = await db.selectFrom('strata_schema_version').select('version').execute();
    return new Set(rows.map((r) => Number(r.version)));
  } catch (error) {
    if (traits.isMissingTable(error)) return new Set();
    throw error;
  }
}

/** The version recorded in the database, 0 for an empty one. */
export async function readSchemaVersion(db: Kysely<Schema>, traits: SqlTraits): Promise<number> {
  try {
    const row = await db
      .selectFrom('strata_schema_version')
      .select((eb) => eb.fn.max('version').as('version'))
      .executeTakeFirst();
    return row?.version ?? 0;
  } catch (error) {
    if (traits.isMissingTable(error)) return 0;
    throw error;
  }
}

export function schemaTooNew(url: string, found: number, latest: number): StrataError {
  return new StrataError(
    `the metadata database ${url} has schema version ${found}, newer than this Strata supports (schema version ${latest})`,
    {
      code: 'schema_too_new',
      field: 'schema_version',
      value: found,
      fix: `upgrade Strata (@strata/metadata) to a release that knows schema version ${found}; every process sharing this database needs it, and a database is never migrated down`,
    },
  );
}

function schemaOutdated(url: string, current: number, latest: number): StrataError {
  return new StrataError(
    `the metadata database ${url} has schema version ${current}, but this Strata needs schema version ${latest}`,
    {
      code: 'schema_outdated',
      field: 'schema_version',
      value: current,
      fix: 'run `strata migrate up` (or open the database with migrations enabled)',
    },
  );
}

export async function schemaState(
  db: Kysely<Schema>,
  traits: SqlTraits,
  list: readonly Migration[] = allMigrations,
): Promise<SchemaState> {
  const latest = latestOf(list);
  const applied = await appliedVersions(db, traits);
  const current = Math.max(0, ...applied);
  const pending = list
    .filter((m) => !applied.has(m.version))
    .map((m) => ({ version: m.version, name: m.name }));
  return { current, latest, pending };
}

/** Throws unless the database is exactly at the code's schema version. */
export async function assertSchemaCurrent(
  db: Kysely<Schema>,
  traits: SqlTraits,
  url: string,
  list: readonly Migration[] = allMigrations,
): Promise<void> {
  const { current, latest, pending } = await schemaState(db, traits, list);
  if (current > latest) throw schemaTooNew(url, current, latest);
  if (pending.length > 0) throw schemaOutdated(url, current, latest);
}

/**
 * Brings the schema to the code's version. A database newer than the code is refused. The work runs in
 * one write transaction that starts with the dialect's migration lock, so processes starting together
 * migrate once: the others wait, then find nothing to do.
 */
export async function migrateSchema(
  db: Kysely<Schema>,
  traits: SqlTraits,
  url: string,
  list: readonly Migration[] = allMigrations,
): Promise<MigrationResult> {
  const latest = latestOf(list);
  const seen = await appliedVersions(db, traits);
  const seenMax = Math.max(0, ...seen);
  if (seenMax > latest) throw schemaTooNew(url, seenMax, latest);
  if (list.every((m) => seen.has(m.version))) return { from: seenMax, to: seenMax, applied: [] };
  // Read the versions again after finding the tables: another process may have committed its migration
  // between the two reads (16 processes starting at once on PostgreSQL do), which is not a damaged store.
  if (
    seen.size === 0 &&
    (await hasTable(db, traits, 'runs')) &&
    (await appliedVersions(db, traits)).size === 0
  )
    throw versionRecordMissing(url);

  return db.transaction().execute(async (trx) => {
    await traits.lockForMigration(trx);
    await trx.schema
      .createTable('strata_schema_version')
      .ifNotExists()
      .addColumn('version', 'integer', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('applied_at', 'bigint', (c) => c.notNull())
      .execute();
    const done = await appliedVersions(trx, traits);
    const current = Math.max(0, ...done);
    if (current > latest) throw schemaTooNew(url, current, latest);
    const applied: string[] = [];
    for (const migration of list) {
      if (done.has(migration.version)) continue;
      await migration.up(trx as unknown as Kysely<unknown>);
      await trx
        .insertInto('strata_schema_version')
        .values({ version: migration.version, name: migration.name, applied_at: Date.now() })
        .execute();
      applied.push(migrationLabel(migration));
    }
    return { from: current, to: latest, applied };
  });
}

/** Outside any transaction: on PostgreSQL a failed statement would abort the transaction it ran in. */
async function hasTable(db: Kysely<Schema>, traits: SqlTraits, table: 'runs'): Promise<boolean> {
  try {
    await db.selectFrom(table).select('id').limit(1).execute();
    return true;
  } catch (error) {
    if (traits.isMissingTable(error)) return false;
    throw error;
  }
}

/**
 * Strata's tables are there but the rows saying which schema version they have are gone (edited by
 * hand, or a damaged file). Migrating from 0 would fail on the first CREATE TABLE; guessing the version
 * could corrupt the data. Refused with what to do instead.
 */
function versionRecordMissing(url: string): StrataError {
  return new StrataError(
    `the metadata database ${url} holds Strata tables but no schema version record (strata_schema_version is empty or missing)`,
    {
      code: 'schema_version_missing',
      field: 'schema_version',
      value: 0,
      fix: 'the database was edited or damaged: restore it from a backup or an export (`strata import`)',
    },
  );
}
