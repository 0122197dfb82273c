import type { RunRecord, RunStatus } from '@strata/core';
import type { RepositoryContext } from '../repositories/context.js';
import { rowToRun } from '../repositories/runs.js';
import type { Schema } from '../schema/tables.js';
import { type ExpressionBuilder, sql } from '../vendor/kysely.js';
import { decodeCursor, encodeCursor } from './cursor.js';

export type RunSortField = 'createdAt' | 'startedAt' | 'endedAt' | 'name';

export interface RunSearch {
  readonly pipelineName?: string;
  readonly status?: readonly RunStatus[];
  readonly stackName?: string;
  /** Runs of this compiled pipeline only (a snapshot's runs). */
  readonly snapshotId?: string;
  /**
   * Text to find in the run id or the run name, case-insensitively, anywhere in it: `r-12` finds run
   * r-12ab..., `nightly` finds every run named `...nightly...`. LIKE wildcards in it are literal.
   */
  readonly text?: string;
  /** Created at or after (epoch ms). */
  readonly createdFrom?: number;
  /** Created strictly before (epoch ms). */
  readonly createdTo?: number;
  readonly sort?: RunSortField;
  readonly order?: 'asc' | 'desc';
  readonly limit: number;
  /** The `nextCursor` of the previous page, for the same filters and sort. */
  readonly cursor?: string;
}

export interface RunPage {
  readonly runs: RunRecord[];
  /** Absent on the last page. */
  readonly nextCursor?: string;
}

// Nullable timestamps sort as 0 so the keyset (value, id) is total; `name` sorts as text.
const sortColumn = {
  createdAt: sql<number>`created_at`,
  startedAt: sql<number>`coalesce(started_at, 0)`,
  endedAt: sql<number>`coalesce(ended_at, 0)`,
  name: sql<string>`name`,
} as const;

function sortValue(run: RunRecord, sort: RunSortField): number | string {
  if (sort === 'name') return run.name;
  if (sort === 'createdAt') return run.createdAt;
  return (sort === 'startedAt' ? run.startedAt : run.endedAt) ?? 0;
}

/**
 * One page of runs with every filter bound as a parameter (never spliced into SQL), ordered by the sort
 * column then id, and continued by keyset: the page after a cursor costs the same at run 100,000 as at
 * run 50, and a run inserted meanwhile never shifts a page.
 */
export async function searchRuns(ctx: RepositoryContext, search: RunSearch): Promise<RunPage> {
  const sort = search.sort ?? 'createdAt';
  const order = search.order ?? 'desc';
  const column = sortColumn[sort];
  let q = ctx.db.selectFrom('runs').selectAll();
  if (search.pipelineName !== undefined) q = q.where('pipeline_name', '=', search.pipelineName);
  if (search.status !== undefined && search.status.length > 0) q = q.where('status', 'in', search.status);
  if (search.stackName !== undefined) q = q.where('stack_name', '=', search.stackName);
  if (search.snapshotId !== undefined) q = q.where('snapshot_id', '=', search.snapshotId);
  const text = search.text?.trim().toLowerCase();
  if (text) {
    // lower() on both sides: SQLite's LIKE ignores ASCII case and PostgreSQL's does not.
    const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb: ExpressionBuilder<Schema, 'runs'>) =>
      eb.or([
        sql<boolean>`lower(id) like ${pattern} escape '\\'`,
        sql<boolean>`lower(name) like ${pattern} escape '\\'`,
      ]),
    );
  }
  if (search.createdFrom !== undefined) q = q.where('created_at', '>=', search.createdFrom);
  if (search.createdTo !== undefined) q = q.where('created_at', '<', search.createdTo);
  if (search.cursor !== undefined) {
    const [value, id] = decodeCursor(search.cursor);
    const op = order === 'desc' ? '<' : '>';
    q = q.where((eb: ExpressionBuilder<Schema, 'runs'>) =>
      eb.or([eb(column, op, value as never), eb.and([eb(column, '=', value as never), eb('id', op, id)])]),
    );
  }
  q = q
    .orderBy(column, order)
    .orderBy('id', order)
    .limit(search.limit + 1);
  const rows = await q.execute();
  const runs = rows.slice(0, search.limit).map(rowToRun);
  const last = runs[runs.length - 1];
  return rows.length > search.limit && last
    ? { runs, nextCursor: encodeCursor([sortValue(last, sort), last.id]) }
    : { runs };
}
