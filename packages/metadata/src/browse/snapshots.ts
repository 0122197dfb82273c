import type { RepositoryContext } from '../repositories/context.js';
import { sql } from '../vendor/kysely.js';

/** A compiled version of a pipeline, as its runs show it. */
export interface PipelineSnapshot {
  readonly snapshotId: string;
  readonly runCount: number;
  readonly firstRunAt: number;
  readonly lastRunAt: number;
}

/**
 * The snapshots a pipeline's runs used, newest first: one row per compiled version (code, params
 * defaults, DAG), with how many runs it had. Read from the runs so a snapshot nobody ran is not listed.
 */
export async function pipelineSnapshots(
  ctx: RepositoryContext,
  pipelineName: string,
  limit: number,
): Promise<PipelineSnapshot[]> {
  const rows = await ctx.db
    .selectFrom('runs')
    .select([
      'snapshot_id',
      sql<number | string>`count(*)`.as('run_count'),
      sql<number | string>`min(created_at)`.as('first_run_at'),
      sql<number | string>`max(created_at)`.as('last_run_at'),
    ])
    .where('pipeline_name', '=', pipelineName)
    .groupBy('snapshot_id')
    .orderBy(sql`max(created_at)`, 'desc')
    .limit(limit)
    .execute();
  // PostgreSQL returns count(*) and bigint aggregates as text.
  return rows.map((r) => ({
    snapshotId: r.snapshot_id,
    runCount: Number(r.run_count),
    firstRunAt: Number(r.first_run_at),
    lastRunAt: Number(r.last_run_at),
  }));
}
