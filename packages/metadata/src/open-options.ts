import type { Migration } from './migrations/index.js';
import { assertSchemaCurrent, migrateSchema } from './migrator.js';
import type { SqlStrataDatabase } from './strata-database.js';

export interface OpenDatabaseOptions {
  /**
   * Bring an older schema up to date on open (default true). With false an outdated schema is a
   * `schema_outdated` error (run `strata migrate up`). A schema newer than the code is always refused.
   */
  readonly migrate?: boolean;
  /** Another migration list: for this package's upgrade tests only. */
  readonly migrations?: readonly Migration[];
}

/** Migrates (or checks) the schema of a freshly connected store; closes it if that fails. */
export async function prepareSchema(store: SqlStrataDatabase, options: OpenDatabaseOptions): Promise<void> {
  const { db, traits } = store.context;
  try {
    if (options.migrate ?? true) await migrateSchema(db, traits, store.url, options.migrations);
    else await assertSchemaCurrent(db, traits, store.url, options.migrations);
  } catch (error) {
    await store.close().catch(() => {});
    throw error;
  }
}
