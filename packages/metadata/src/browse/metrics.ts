import type { JsonValue } from '@strata/core';
import type { RepositoryContext } from '../repositories/context.js';
import { fromJson } from '../schema/json.js';

export interface MetricQuery {
  readonly pipelineName: string;
  /** Metadata keys to return (`ctx.log({ accuracy })` records `accuracy`); empty means every key. */
  readonly keys: readonly string[];
  /** How many of the pipeline's newest runs to compare. */
  readonly runs: number;
}

export interface MetricPoint {
  readonly runId: string;
  readonly runCreatedAt: number;
  /** The step run that logged it (`null` for metadata on the run itself). */
  readonly stepRunId: string | null;
  readonly nodeId: string | null;
  readonly key: string;
  readonly value: JsonValue;
}

/**
 * The values steps logged with `ctx.log` (and run-level metadata) across the newest runs of one
 * pipeline, for side-by-side comparison: two indexed queries, whatever the number of steps.
 */
export async function metricsAcrossRuns(ctx: RepositoryContext, query: MetricQuery): Promise<MetricPoint[]> {
  const db = ctx.db;
  const runs = await db
    .selectFrom('runs')
    .select(['id', 'created_at'])
    .where('pipeline_name', '=', query.pipelineName)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(query.runs)
    .execute();
  if (runs.length === 0) return [];
  const runIds = runs.map((r) => r.id);
  const createdAt = new Map(runs.map((r) => [r.id, r.created_at]));
  let stepQ = db
    .selectFrom('metadata as m')
    .innerJoin('step_runs as s', 's.id', 'm.owner_id')
    .select(['s.run_id', 's.id as step_run_id', 's.node_id', 'm.key', 'm.value'])
    .where('m.owner_type', '=', 'step_run')
    .where('s.run_id', 'in', runIds);
  let runQ = db
    .selectFrom('metadata as m')
    .select(['m.owner_id', 'm.key', 'm.value'])
    .where('m.owner_type', '=', 'run')
    .where('m.owner_id', 'in', runIds);
  if (query.keys.length > 0) {
    stepQ = stepQ.where('m.key', 'in', query.keys);
    runQ = runQ.where('m.key', 'in', query.keys);
  }
  const points: MetricPoint[] = [];
  for (const r of await runQ.execute()) {
    points.push({
      runId: r.owner_id,
      runCreatedAt: createdAt.get(r.owner_id) ?? 0,
      stepRunId: null,
      nodeId: null,
      key: r.key,
      value: fromJson(r.value),
    });
  }
  for (const r of await stepQ.execute()) {
    points.push({
      runId: r.run_id,
      runCreatedAt: createdAt.get(r.run_id) ?? 0,
      stepRunId: r.step_run_id,
      nodeId: r.node_id,
      key: r.key,
      value: fromJson(r.value),
    });
  }
  return points.sort(
    (a, b) =>
      b.runCreatedAt - a.runCreatedAt ||
      a.runId.localeCompare(b.runId) ||
      (a.nodeId ?? '').localeCompare(b.nodeId ?? '') ||
      a.key.localeCompare(b.key),
  );
}
