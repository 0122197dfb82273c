import type { Kysely } from '../vendor/kysely.js';
import type { Migration } from './migration.js';

/**
 * Liveness: who executes each running run (and each step that runs elsewhere, e.g. in a container),
 * with a heartbeat, so a reader can tell a live run from one whose owner died. `step_run_id` is ''
 * for the run's own owner (a primary key column cannot be NULL on PostgreSQL). No foreign key: the
 * owner is written just before the run row, and deleting a run deletes its owners explicitly.
 */
export const liveness: Migration = {
  version: 5,
  name: 'liveness',
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('owners')
      .addColumn('run_id', 'text', (c) => c.notNull())
      .addColumn('step_run_id', 'text', (c) => c.notNull())
      .addColumn('owner', 'text', (c) => c.notNull())
      .addColumn('heartbeat_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('owners_pk', ['run_id', 'step_run_id'])
      .execute();
  },
};
