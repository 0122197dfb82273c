import type { Kysely } from '../vendor/kysely.js';
import type { Migration } from './migration.js';

/**
 * Continuous training: schedules and triggers (one table, `kind` tells them apart), their firings
 * (unique per trigger and dedupe key: the store, not the agents, guarantees a firing happens once),
 * leases and agents (who evaluates, and `strata agent status`), and the model servers' windows of
 * input statistics and feedback (one row per model version, window and kind: bounded).
 */
export const continuousTraining: Migration = {
  version: 6,
  name: 'continuous_training',
  async up(db: Kysely<unknown>): Promise<void> {
    const s = db.schema;
    await s
      .createTable('triggers')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('target', 'text', (c) => c.notNull())
      .addColumn('condition', 'text', (c) => c.notNull())
      .addColumn('overlap', 'text', (c) => c.notNull())
      .addColumn('paused', 'integer', (c) => c.notNull())
      .addColumn('fired_by', 'text', (c) => c.notNull())
      .addColumn('cursor', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();

    // No foreign key to triggers: history outlives a deleted trigger. run_id is set before the run
    // exists (claimed, then started), so it has none either.
    await s
      .createTable('trigger_firings')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('trigger_name', 'text', (c) => c.notNull())
      .addColumn('dedupe_key', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('evidence', 'text')
      .addColumn('run_id', 'text')
      .addColumn('fired_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addColumn('error', 'text')
      .addUniqueConstraint('trigger_firings_once', ['trigger_name', 'dedupe_key'])
      .execute();
    await s
      .createIndex('trigger_firings_by_trigger')
      .on('trigger_firings')
      .columns(['trigger_name', 'created_at desc'])
      .execute();
    await s.createIndex('trigger_firings_by_status').on('trigger_firings').column('status').execute();

    await s
      .createTable('leases')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('holder', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .execute();

    await s
      .createTable('agents')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('host', 'text', (c) => c.notNull())
      .addColumn('pid', 'integer', (c) => c.notNull())
      .addColumn('version', 'text', (c) => c.notNull())
      .addColumn('started_at', 'bigint', (c) => c.notNull())
      .addColumn('heartbeat_at', 'bigint', (c) => c.notNull())
      .addColumn('stopped_at', 'bigint')
      .addColumn('stats', 'text')
      .execute();

    await s
      .createTable('serving_windows')
      .addColumn('model', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('window_start', 'bigint', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('count', 'integer', (c) => c.notNull())
      .addColumn('stats', 'text')
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('serving_windows_pk', ['model', 'version', 'window_start', 'kind'])
      .execute();
  },
};
