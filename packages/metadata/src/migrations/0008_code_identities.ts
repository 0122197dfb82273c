import type { Kysely } from '../vendor/kysely.js';
import type { Migration } from './migration.js';

/**
 * `code_identities`: a step's code identity (the `files` and `packages` of its cache parts), stored
 * once and referred to by id from each step row's cache_parts (repositories/code-identities.ts). It is
 * the same for every execution of a node and can be kilobytes, so storing it in every step row made
 * each step's row, and the pages its completion writes, that much bigger. The id is the sha256 of the
 * body (its first 32 hex digits). No foreign key from step_runs (the reference is inside a JSON
 * document); rows are never updated, and one no step refers to any more is a few bytes of history.
 * Step rows written before keep their identity inline and are read as they are.
 */
export const codeIdentities: Migration = {
  version: 8,
  name: 'code_identities',
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('code_identities')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
  },
};
