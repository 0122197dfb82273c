import type { Kysely } from '../vendor/kysely.js';
import type { Migration } from './migration.js';

/**
 * Indexes for lookups a shared store serves once it holds a team's history:
 * - `runs_by_status`: `strata runs list --status running` and the dashboard's active runs, without
 *   scanning every run ever recorded;
 * - `runs_by_snapshot`: the runs of one snapshot (export/import and "where did this code run");
 * - `model_versions_by_artifact`: the model versions an artifact was registered as (the foreign key
 *   has no index of its own, so deleting a run's artifacts scanned every model version).
 */
export const lookupIndexes: Migration = {
  version: 2,
  name: 'lookup_indexes',
  async up(db: Kysely<unknown>): Promise<void> {
    const s = db.schema;
    // The columns of listRuns' ORDER BY (created_at desc, id desc): the newest N of a status are the
    // first N index entries, with no sort.
    await s
      .createIndex('runs_by_status')
      .on('runs')
      .columns(['status', 'created_at desc', 'id desc'])
      .execute();
    await s.createIndex('runs_by_snapshot').on('runs').column('snapshot_id').execute();
    await s.createIndex('model_versions_by_artifact').on('model_versions').column('artifact_id').execute();
  },
};
