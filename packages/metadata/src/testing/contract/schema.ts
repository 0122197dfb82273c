import { expect, it } from 'vitest';
import { currentSchemaVersion, migrations } from '../../migrations/index.js';
import type { Migration } from '../../migrations/migration.js';
import { migrationLabel } from '../../migrator.js';
import { migrate, migrationStatus } from '../../open-database.js';
import { schemaColumns } from '../../schema/columns.js';
import type { SqlStrataDatabase } from '../../strata-database.js';
import { sql } from '../../vendor/kysely.js';
import { runRecord } from '../fixtures.js';
import { readHistory, recordHistory } from '../history.js';
import { expectStrataError, type SqlContractContext } from './context.js';

/** A stand-in for the next migration, to exercise an upgrade while there is only one real one. */
const probe: Migration = {
  version: currentSchemaVersion + 1,
  name: 'probe',
  async up(db) {
    await db.schema.alterTable('runs').addColumn('probe_note', 'text').execute();
    await db.schema
      .createTable('probe')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .execute();
  },
};
const withProbe = [...migrations, probe];

export function schemaContract(ctx: SqlContractContext): void {
  it('migrates an empty database and finds nothing to do afterwards', async () => {
    const url = await ctx.freshUrl();
    expect(await migrationStatus(url)).toMatchObject({
      currentVersion: 0,
      latestVersion: currentSchemaVersion,
      state: 'behind',
      pending: migrations.map((m) => ({ version: m.version, name: m.name })),
    });
    const first = await migrate(url);
    expect(first).toMatchObject({
      from: 0,
      to: currentSchemaVersion,
      applied: migrations.map(migrationLabel),
    });
    expect(first.url).not.toContain(':strata@');
    expect(await migrate(url)).toMatchObject({
      from: currentSchemaVersion,
      to: currentSchemaVersion,
      applied: [],
    });
    expect(await migrationStatus(url)).toMatchObject({
      currentVersion: currentSchemaVersion,
      state: 'up_to_date',
      pending: [],
    });
    const db = await ctx.open(url);
    await db.createRun(runRecord('r1'), []);
    expect(await db.getRun('r1')).toBeDefined();
  });

  it('applies a migration that landed below the newest recorded version (parallel branches)', async () => {
    const url = await ctx.freshUrl();
    const [, skipped] = migrations;
    const without = migrations.filter((m) => m !== skipped);
    await migrate(url, { migrations: without });
    expect(await migrationStatus(url)).toMatchObject({
      state: 'behind',
      pending: [{ version: skipped!.version, name: skipped!.name }],
    });
    expect(await migrate(url)).toMatchObject({ applied: [migrationLabel(skipped!)] });
    expect(await migrationStatus(url)).toMatchObject({ state: 'up_to_date', pending: [] });
  });

  it('migrated columns are exactly tables.ts: every table, column and nullability', async () => {
    const db = ctx.db();
    const stated: Record<string, Record<string, string>> = schemaColumns;
    for (const [table, columns] of Object.entries(stated)) {
      const migrated = await migratedColumns(db, table);
      // PostgreSQL's change feed also keeps the writing transaction's id (xid8, no SQLite equivalent).
      if (table === 'changes' && db.dialect === 'postgres') delete migrated.xid;
      expect(migrated, `columns of ${table} on ${db.dialect}`).toEqual(columns);
    }
    const tables = await tableNames(db);
    expect(tables.sort()).toEqual(Object.keys(stated).sort());
  });

  it('re-opening an up-to-date database changes nothing', async () => {
    await ctx.db().createRun(runRecord('r1'), []);
    const again = await ctx.open(ctx.url());
    expect(await again.getRun('r1')).toEqual(runRecord('r1'));
    expect(await migrate(ctx.url())).toMatchObject({ applied: [] });
  });

  it('upgrades a database from the previous schema version, keeping its rows', async () => {
    await ctx.db().createRun(runRecord('r1'), []);
    expect(await migrationStatus(ctx.url(), { migrations: withProbe })).toMatchObject({
      currentVersion: currentSchemaVersion,
      state: 'behind',
      pending: [{ version: probe.version, name: 'probe' }],
    });
    expect(await migrate(ctx.url(), { migrations: withProbe })).toMatchObject({
      from: currentSchemaVersion,
      to: probe.version,
      applied: [`${String(probe.version).padStart(4, '0')}_probe`],
    });
    const upgraded = await ctx.open(ctx.url(), { migrations: withProbe });
    expect(await upgraded.getRun('r1')).toEqual(runRecord('r1'));
    await upgraded.context.db
      .insertInto('probe' as never)
      .values({ id: 'x' } as never)
      .execute();
  });

  it('upgrades a populated version-1 database to the current schema, every row intact', async () => {
    const url = await ctx.freshUrl();
    const v1 = await ctx.open(url, { migrations: migrations.slice(0, 1) });
    await recordHistory(v1);
    const before = await readHistory(v1);
    await v1.close();
    expect(await migrationStatus(url)).toMatchObject({
      currentVersion: 1,
      state: 'behind',
      pending: migrations.slice(1).map((m) => ({ version: m.version, name: m.name })),
    });
    // Code of the current version refuses to work on it without migrating when told not to migrate.
    await expectStrataError(ctx.open(url, { migrate: false }), 'schema_outdated');
    expect(await migrate(url)).toMatchObject({
      from: 1,
      to: currentSchemaVersion,
      applied: migrations.slice(1).map(migrationLabel),
    });
    const upgraded = await ctx.open(url, { migrate: false });
    expect(await readHistory(upgraded)).toEqual(before);
    expect(await indexNames(upgraded)).toEqual(
      expect.arrayContaining(['runs_by_status', 'runs_by_snapshot', 'model_versions_by_artifact']),
    );
    // The upgraded store keeps working: new rows next to the old ones.
    await recordHistory(upgraded, 'after');
    expect(await upgraded.listRuns({ status: 'completed', limit: 10 })).toHaveLength(4);
  });

  it('refuses a database newer than the code, naming both versions and the fix', async () => {
    await migrate(ctx.url(), { migrations: withProbe });
    const error = await expectStrataError(ctx.open(ctx.url()), 'schema_too_new');
    expect(error.message).toContain(`schema version ${probe.version}`);
    expect(error.message).toContain(`schema version ${currentSchemaVersion}`);
    expect(error.fix).toMatch(/upgrade Strata/);
    expect(error.message).not.toMatch(/:strata@/);
    await expectStrataError(migrate(ctx.url()), 'schema_too_new');
    expect(await migrationStatus(ctx.url())).toMatchObject({
      currentVersion: probe.version,
      state: 'too_new',
    });
  });

  it('with migrate: false, refuses an outdated schema instead of migrating it', async () => {
    const url = await ctx.freshUrl();
    await expectStrataError(ctx.open(url, { migrate: false }), 'schema_outdated');
    expect(await migrationStatus(url)).toMatchObject({ currentVersion: 0 });
    const db = await ctx.open(ctx.url(), { migrate: false });
    expect(await db.listRuns()).toEqual([]);
  });
}

/** Names of the indexes on the store's tables (dialect-specific catalogs). */
async function indexNames(db: SqlStrataDatabase): Promise<string[]> {
  const query =
    db.dialect === 'sqlite'
      ? sql<{ name: string }>`select name from sqlite_master where type = 'index'`
      : sql<{ name: string }>`select indexname as name from pg_indexes where schemaname = current_schema()`;
  return (await query.execute(db.context.db)).rows.map((r) => r.name);
}

/** A table's columns as the migrations made them: name -> 'null' | 'not null' (a primary key is not null). */
async function migratedColumns(db: SqlStrataDatabase, table: string): Promise<Record<string, string>> {
  const query =
    db.dialect === 'sqlite'
      ? sql<{
          name: string;
          nullable: number;
        }>`select name, ("notnull" = 0 and pk = 0) as nullable from pragma_table_info(${table})`
      : sql<{
          name: string;
          nullable: boolean;
        }>`select column_name as name, is_nullable = 'YES' as nullable from information_schema.columns where table_schema = current_schema() and table_name = ${table}`;
  const rows = (await query.execute(db.context.db)).rows;
  return Object.fromEntries(rows.map((r) => [r.name, r.nullable ? 'null' : 'not null']));
}

/** The store's tables (no SQLite internals). */
async function tableNames(db: SqlStrataDatabase): Promise<string[]> {
  const query =
    db.dialect === 'sqlite'
      ? sql<{
          name: string;
        }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`
      : sql<{
          name: string;
        }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`;
  return (await query.execute(db.context.db)).rows.map((r) => r.name);
}
