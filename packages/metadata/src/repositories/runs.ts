import type { RunRecord, StepRunRecord } from '@strata/core';
import { StrataError } from '@strata/core';
import type { RunPatch, RunQuery } from '@strata/core/plugin';
import { fromJson, toJson } from '../schema/json.js';
import type { RunsTable } from '../schema/tables.js';
import type { Insertable, Selectable, Updateable } from '../vendor/kysely.js';
import { type RepositoryContext, type RunNow, writeTransaction } from './context.js';
import { insertRows, rowsInsert } from './rows-sql.js';
import { insertStepRuns, insertStepRunsSql } from './step-runs.js';

export function rowToRun(row: Selectable<RunsTable>): RunRecord {
  return {
    id: row.id,
    name: row.name,
    pipelineName: row.pipeline_name,
    snapshotId: row.snapshot_id,
    status: row.status,
    stackName: row.stack_name,
    orchestrator: row.orchestrator,
    params: fromJson(row.params),
    environment: fromJson(row.environment),
    createdAt: row.created_at,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    error: row.error,
    resumedFrom: row.resumed_from,
  };
}

function runToRow(run: RunRecord): Insertable<RunsTable> {
  return {
    id: run.id,
    name: run.name,
    pipeline_name: run.pipelineName,
    snapshot_id: run.snapshotId,
    status: run.status,
    stack_name: run.stackName,
    orchestrator: run.orchestrator,
    params: toJson(run.params),
    environment: toJson(run.environment),
    created_at: run.createdAt,
    started_at: run.startedAt,
    ended_at: run.endedAt,
    error: run.error,
    resumed_from: run.resumedFrom,
  };
}

/** The column order of runToRow (derived, so the two cannot drift apart). */
const runColumns = Object.keys(runToRow({} as RunRecord)) as (keyof RunsTable)[];
const RUNS = rowsInsert('runs', runColumns);

/** createRun's run row on SQLite's writeNow path (its step rows: insertStepRunsSql). */
function insertRunSql(sql: RunNow, run: RunRecord): void {
  const row = runToRow(run);
  insertRows(
    sql,
    RUNS,
    runColumns.map((c) => row[c] ?? null),
  );
}

function runPatchToRow(patch: RunPatch): Updateable<RunsTable> {
  const row: Updateable<RunsTable> = {};
  if (patch.status !== undefined) row.status = patch.status;
  if (patch.startedAt !== undefined) row.started_at = patch.startedAt;
  if (patch.endedAt !== undefined) row.ended_at = patch.endedAt;
  if (patch.error !== undefined) row.error = patch.error;
  return row;
}

function unknownRun(id: string): StrataError {
  return new StrataError(`run "${id}" does not exist`, {
    code: 'unknown_run',
    field: 'runId',
    value: id,
    fix: 'create the run first (createRun), or check the run id (`strata runs list`)',
  });
}

function checkStepsBelongTo(runId: string, steps: readonly StepRunRecord[]): void {
  const stray = steps.find((s) => s.runId !== runId);
  if (stray) {
    throw new StrataError(`step run "${stray.id}" belongs to run "${stray.runId}", not to run "${runId}"`, {
      code: 'invalid_step_run',
      field: 'runId',
      value: stray.runId,
      fix: 'set runId of every step row to the id of the run it is created with',
    });
  }
}

export class RunsRepository {
  readonly #ctx: RepositoryContext;

  constructor(ctx: RepositoryContext) {
    this.#ctx = ctx;
  }

  async createRun(run: RunRecord, steps: readonly StepRunRecord[]): Promise<void> {
    checkStepsBelongTo(run.id, steps);
    const { writeNow } = this.#ctx;
    try {
      if (writeNow) {
        await writeNow((sql) => {
          insertRunSql(sql, run);
          insertStepRunsSql(sql, steps);
        });
      } else {
        await writeTransaction(this.#ctx, async (trx) => {
          await trx.insertInto('runs').values(runToRow(run)).execute();
          await insertStepRuns(trx, steps);
        });
      }
    } catch (error) {
      if (this.#ctx.traits.isUniqueViolation(error)) {
        throw new StrataError(`run "${run.id}" or one of its ${steps.length} step runs already exists`, {
          code: 'duplicate_id',
          field: 'id',
          value: run.id,
          fix: 'give the run and each step run a new unique id (and one row per node and map index)',
          cause: error,
        });
      }
      throw error;
    }
  }

  async addStepRuns(steps: readonly StepRunRecord[]): Promise<void> {
    if (steps.length === 0) return;
    const { writeNow } = this.#ctx;
    try {
      if (writeNow) await writeNow((sql) => insertStepRunsSql(sql, steps));
      else await writeTransaction(this.#ctx, (trx) => insertStepRuns(trx, steps));
    } catch (error) {
      if (this.#ctx.traits.isForeignKeyViolation(error)) {
        const runIds = [...new Set(steps.map((s) => s.runId))];
        throw new StrataError(`cannot add step runs to run ${runIds.map((id) => `"${id}"`).join(', ')}`, {
          code: 'unknown_run',
          field: 'runId',
          value: runIds.length === 1 ? runIds[0] : runIds,
          fix: 'create the run first (createRun)',
          cause: error,
        });
      }
      if (this.#ctx.traits.isUniqueViolation(error)) {
        throw new StrataError('one of the step runs to add already exists', {
          code: 'duplicate_id',
          field: 'id',
          value: steps.map((s) => s.id),
          fix: 'give each step run a new unique id (and one row per node and map index)',
          cause: error,
        });
      }
      throw error;
    }
  }

  async getRun(id: string): Promise<RunRecord | undefined> {
    const row = await this.#ctx.db.selectFrom('runs').selectAll().where('id', '=', id).executeTakeFirst();
    return row && rowToRun(row);
  }

  async listRuns(query: RunQuery = {}): Promise<RunRecord[]> {
    let q = this.#ctx.db.selectFrom('runs').selectAll();
    if (query.pipelineName !== undefined) q = q.where('pipeline_name', '=', query.pipelineName);
    if (query.status !== undefined) q = q.where('status', '=', query.status);
    if (query.before !== undefined) q = q.where('created_at', '<', query.before);
    q = q.orderBy('created_at', 'desc').orderBy('id', 'desc');
    if (query.limit !== undefined) q = q.limit(query.limit);
    return (await q.execute()).map(rowToRun);
  }

  async updateRun(id: string, patch: RunPatch): Promise<void> {
    const row = runPatchToRow(patch);
    if (Object.keys(row).length === 0) {
      if (!(await this.getRun(id))) throw unknownRun(id);
      return;
    }
    const result = await this.#ctx.db.updateTable('runs').set(row).where('id', '=', id).executeTakeFirst();
    if (result.numUpdatedRows === 0n) throw unknownRun(id);
  }

  async listPipelines(): Promise<{ name: string; runCount: number; lastRunAt: number | null }[]> {
    const rows = await this.#ctx.db
      .selectFrom('runs')
      .select((eb) => [
        'pipeline_name',
        eb.fn.countAll<number>().as('run_count'),
        eb.fn.max('created_at').as('last_run_at'),
      ])
      .groupBy('pipeline_name')
      .orderBy('pipeline_name')
      .execute();
    return rows.map((r) => ({
      name: r.pipeline_name,
      runCount: Number(r.run_count),
      lastRunAt: r.last_run_at === null ? null : Number(r.last_run_at),
    }));
  }
}
