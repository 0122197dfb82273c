import { randomUUID } from 'node:crypto';
import type { Kysely } from '../vendor/kysely.js';
import type { Migration } from './migration.js';

/**
 * The store's identity: one row with an id chosen when the store was created (or first upgraded).
 * A project remembers the id of its store (.strata/stores.json), so a database file that vanished or
 * was truncated to 0 bytes (which SQLite would happily treat as a new, empty store) is refused instead
 * of silently starting from nothing. Not part of an export: an imported store is a store of its own.
 */
export const storeIdentity: Migration = {
  version: 3,
  name: 'store_identity',
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('strata_store')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await (db as Kysely<{ strata_store: { id: string; created_at: number } }>)
      .insertInto('strata_store')
      .values({ id: randomUUID(), created_at: Date.now() })
      .execute();
  },
};
