import type { Kysely } from '../vendor/kysely.js';
import type { Migration } from './migration.js';

/** Lineage (snapshots, runs, step runs, artifacts, events, metadata, logs), stacks and the model registry. */
export const initial: Migration = {
  version: 1,
  name: 'initial',
  async up(db: Kysely<unknown>): Promise<void> {
    const s = db.schema;

    await s
      .createTable('snapshots')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('pipeline_name', 'text', (c) => c.notNull())
      .addColumn('body', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();

    await s
      .createTable('runs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('pipeline_name', 'text', (c) => c.notNull())
      .addColumn('snapshot_id', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('stack_name', 'text', (c) => c.notNull())
      .addColumn('orchestrator', 'text', (c) => c.notNull())
      .addColumn('params', 'text')
      .addColumn('environment', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('started_at', 'bigint')
      .addColumn('ended_at', 'bigint')
      .addColumn('error', 'text')
      .addColumn('resumed_from', 'text')
      .execute();
    await s
      .createIndex('runs_by_pipeline')
      .on('runs')
      .columns(['pipeline_name', 'created_at desc'])
      .execute();
    await s.createIndex('runs_by_created').on('runs').columns(['created_at desc']).execute();

    await s
      .createTable('step_runs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id').onDelete('cascade'))
      .addColumn('node_id', 'text', (c) => c.notNull())
      .addColumn('step_name', 'text', (c) => c.notNull())
      .addColumn('map_index', 'integer', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('cache_key', 'text')
      .addColumn('cache_parts', 'text')
      .addColumn('cache_reason', 'text')
      .addColumn('cached_from', 'text')
      .addColumn('attempt', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('started_at', 'bigint')
      .addColumn('ended_at', 'bigint')
      .addColumn('error', 'text')
      .addColumn('error_stack', 'text')
      .execute();
    // One row per node instance of a run; also the "step runs of a run" index.
    await s
      .createIndex('step_runs_by_run')
      .on('step_runs')
      .columns(['run_id', 'node_id', 'map_index'])
      .unique()
      .execute();
    await s
      .createIndex('step_runs_by_cache_key')
      .on('step_runs')
      .columns(['cache_key', 'status', 'ended_at desc'])
      .execute();

    await s
      .createTable('artifacts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('uri', 'text', (c) => c.notNull())
      .addColumn('store_key', 'text', (c) => c.notNull())
      .addColumn('store_identity', 'text', (c) => c.notNull())
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addColumn('size', 'bigint', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('materializer', 'text', (c) => c.notNull())
      .addColumn('materializer_version', 'integer', (c) => c.notNull())
      .addColumn('summary', 'text')
      .addColumn('producer_step_run_id', 'text', (c) =>
        c.notNull().references('step_runs.id').onDelete('cascade'),
      )
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await s.createIndex('artifacts_by_sha256').on('artifacts').column('sha256').execute();
    await s.createIndex('artifacts_by_created').on('artifacts').columns(['created_at desc']).execute();
    await s.createIndex('artifacts_by_producer').on('artifacts').column('producer_step_run_id').execute();

    await s
      .createTable('events')
      .addColumn('step_run_id', 'text', (c) => c.notNull().references('step_runs.id').onDelete('cascade'))
      .addColumn('artifact_id', 'text', (c) => c.notNull().references('artifacts.id').onDelete('cascade'))
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      // The primary key is also the "events of a step run" index.
      .addPrimaryKeyConstraint('events_pk', ['step_run_id', 'type', 'name', 'position'])
      .execute();
    await s.createIndex('events_by_artifact').on('events').columns(['artifact_id', 'type']).execute();

    await s
      .createTable('metadata')
      .addColumn('owner_type', 'text', (c) => c.notNull())
      .addColumn('owner_id', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('value', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('metadata_pk', ['owner_type', 'owner_id', 'key'])
      .execute();

    await s
      .createTable('logs')
      .addColumn('step_run_id', 'text', (c) => c.notNull().references('step_runs.id').onDelete('cascade'))
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('level', 'text', (c) => c.notNull())
      .addColumn('message', 'text', (c) => c.notNull())
      // The primary key is also the "logs of a step run by seq" index.
      .addPrimaryKeyConstraint('logs_pk', ['step_run_id', 'seq'])
      .execute();

    await s
      .createTable('components')
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('flavor', 'text', (c) => c.notNull())
      .addColumn('config', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('components_pk', ['type', 'name'])
      .execute();

    await s
      .createTable('stacks')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();

    await s
      .createTable('stack_components')
      .addColumn('stack_name', 'text', (c) =>
        c.notNull().references('stacks.name').onDelete('cascade').onUpdate('cascade'),
      )
      .addColumn('component_type', 'text', (c) => c.notNull())
      .addColumn('component_name', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('stack_components_pk', ['stack_name', 'component_type'])
      .addForeignKeyConstraint(
        'stack_components_component_fk',
        ['component_type', 'component_name'],
        'components',
        ['type', 'name'],
        (c) => c.onUpdate('cascade').onDelete('restrict'),
      )
      .execute();
    await s
      .createIndex('stack_components_by_component')
      .on('stack_components')
      .columns(['component_type', 'component_name'])
      .execute();

    await s
      .createTable('models')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('description', 'text')
      .addColumn('latest_version', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();

    await s
      .createTable('model_versions')
      .addColumn('model', 'text', (c) => c.notNull().references('models.name').onDelete('cascade'))
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('artifact_id', 'text', (c) => c.notNull().references('artifacts.id'))
      .addColumn('run_id', 'text')
      .addColumn('metrics', 'text')
      .addColumn('metadata', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('model_versions_pk', ['model', 'version'])
      .execute();

    await s
      .createTable('model_aliases')
      .addColumn('model', 'text', (c) => c.notNull())
      .addColumn('alias', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('model_aliases_pk', ['model', 'alias'])
      .addForeignKeyConstraint('model_aliases_version_fk', ['model', 'version'], 'model_versions', [
        'model',
        'version',
      ])
      .execute();

    await s
      .createTable('alias_history')
      .addColumn('model', 'text', (c) => c.notNull().references('models.name').onDelete('cascade'))
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('alias', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('previous_version', 'integer')
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('alias_history_pk', ['model', 'seq'])
      .execute();
  },
};
