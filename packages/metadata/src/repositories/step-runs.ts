import type { StepRunRecord } from '@strata/core';
import { StrataError } from '@strata/core';
import type { PreviousRunSteps, StepRunPatch, StepRunStatus, StepStatusesSince } from '@strata/core/plugin';
import { parseCacheParts, storeCacheParts } from '@strata/core/plugin';
import { documentFromJson, toJson } from '../schema/json.js';
import type { StepRunsTable } from '../schema/tables.js';
import { type CompiledQuery, type Selectable, sql, type Updateable } from '../vendor/kysely.js';
import {
  codeIdentities,
  codeIdentityOf,
  insertIdentities,
  insertIdentitiesSql,
  type LoadedIdentities,
  loadIdentities,
  withIdentity,
} from './code-identities.js';
import { chunks, type Db, type RepositoryContext, type RunNow } from './context.js';
import { compilePrepared, executePrepared } from './prepared.js';
import { feedHeadSql, stepStatusesAfterSql, stepStatusesSql } from './read-sql.js';
import { insertRows, rowsInsert } from './rows-sql.js';

type StatusRow = Pick<
  Selectable<StepRunsTable>,
  'id' | 'node_id' | 'map_index' | 'status' | 'error' | 'cache_reason' | 'ended_at'
>;

function rowToStatus(row: StatusRow): StepRunStatus {
  return {
    id: row.id,
    nodeId: row.node_id,
    mapIndex: row.map_index,
    status: row.status,
    error: row.error,
    cacheReason: row.cache_reason,
    endedAt: row.ended_at,
  };
}

/** A stored step row as a record, with the code identities loadIdentities read for the rows. */
export function rowToStepRun(row: Selectable<StepRunsTable>, identities: LoadedIdentities): StepRunRecord {
  return {
    id: row.id,
    runId: row.run_id,
    nodeId: row.node_id,
    stepName: row.step_name,
    mapIndex: row.map_index,
    status: row.status,
    cacheKey: row.cache_key,
    cacheParts: parseCacheParts(
      withIdentity(documentFromJson(row.cache_parts, 'step_runs.cache_parts', row.id), row.id, identities),
      row.id,
    ),
    cacheReason: row.cache_reason,
    cachedFrom: row.cached_from,
    attempt: row.attempt,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    error: row.error,
    errorStack: row.error_stack,
  };
}

function stepRunToRow(step: StepRunRecord, now: number): Selectable<StepRunsTable> {
  return {
    id: step.id,
    run_id: step.runId,
    node_id: step.nodeId,
    step_name: step.stepName,
    map_index: step.mapIndex,
    status: step.status,
    cache_key: step.cacheKey,
    cache_parts: cachePartsJson(step.cacheParts),
    cache_reason: step.cacheReason,
    cached_from: step.cachedFrom,
    attempt: step.attempt,
    created_at: now,
    started_at: step.startedAt,
    ended_at: step.endedAt,
    error: step.error,
    error_stack: step.errorStack,
  };
}

/**
 * The stored cache parts as JSON text. A step's `files` and `packages` (its code identity: in a big
 * project hundreds of entries, kilobytes) are stored once in code_identities (code-identities.ts): the
 * row refers to them by id, written last. The writer records the identity in the same transaction
 * (codeIdentities + insertIdentities / insertIdentitiesSql).
 */
export function cachePartsJson(parts: StepRunRecord['cacheParts']): string | null {
  const identity = parts === null ? undefined : codeIdentityOf(parts);
  if (identity === undefined) return toJson(storeCacheParts(parts));
  const { files: _files, packages: _packages, ...rest } = parts!;
  const head = JSON.stringify(storeCacheParts(rest as typeof parts));
  // `head` is an object with at least `code` and the version field: its closing brace is the last character.
  return `${head.slice(0, -1)},"identity":"${identity.id}"}`;
}

export function stepRunPatchToRow(patch: StepRunPatch): Updateable<StepRunsTable> {
  const row: Updateable<StepRunsTable> = {};
  if (patch.status !== undefined) row.status = patch.status;
  if (patch.cacheKey !== undefined) row.cache_key = patch.cacheKey;
  if (patch.cacheParts !== undefined) row.cache_parts = cachePartsJson(patch.cacheParts);
  if (patch.cacheReason !== undefined) row.cache_reason = patch.cacheReason;
  if (patch.cachedFrom !== undefined) row.cached_from = patch.cachedFrom;
  if (patch.attempt !== undefined) row.attempt = patch.attempt;
  if (patch.startedAt !== undefined) row.started_at = patch.startedAt;
  if (patch.endedAt !== undefined) row.ended_at = patch.endedAt;
  if (patch.error !== undefined) row.error = patch.error;
  if (patch.errorStack !== undefined) row.error_stack = patch.errorStack;
  return row;
}

/** The column order of stepRunToRow (derived, so the two cannot drift apart). */
const stepRunColumns = Object.keys(
  stepRunToRow({ cacheParts: null } as StepRunRecord, 0),
) as (keyof StepRunsTable)[];

const STEP_RUNS = rowsInsert('step_runs', stepRunColumns);

/** insertStepRuns as plain SQL, for SQLite's writeNow (rows-sql.ts): the same rows, no query building. */
export function insertStepRunsSql(run: RunNow, steps: readonly StepRunRecord[]): void {
  const now = Date.now();
  insertIdentitiesSql(run, codeIdentities(steps.map((s) => s.cacheParts)));
  const values: unknown[] = [];
  for (const step of steps) {
    const row = stepRunToRow(step, now);
    for (const column of stepRunColumns) values.push(row[column] ?? null);
  }
  insertRows(run, STEP_RUNS, values);
}

/**
 * Inserts step rows through Kysely (PostgreSQL; SQLite uses insertStepRunsSql), 100 at a time, each
 * statement compiled once per row count (prepared.ts): a run creates all its rows at once, and building
 * a 100-row INSERT with Kysely cost ~2 ms each time.
 */
export async function insertStepRuns(db: Db, steps: readonly StepRunRecord[]): Promise<void> {
  const now = Date.now();
  await insertIdentities(db, codeIdentities(steps.map((s) => s.cacheParts)));
  for (const batch of chunks(steps)) {
    const values: unknown[] = [];
    for (const step of batch) {
      const row = stepRunToRow(step, now);
      for (const column of stepRunColumns) values.push(row[column]);
    }
    await executePrepared(db, `step_runs.insert:${batch.length}`, values, (...slots) =>
      db
        .insertInto('step_runs')
        .values(
          batch.map((_, r) =>
            Object.fromEntries(stepRunColumns.map((c, i) => [c, slots[r * stepRunColumns.length + i]])),
          ) as never,
        ),
    );
  }
}

export function unknownStepRun(id: string): StrataError {
  return new StrataError(`step run "${id}" does not exist`, {
    code: 'unknown_step_run',
    field: 'stepRunId',
    value: id,
    fix: 'create the run and its step rows first (createRun / addStepRuns)',
  });
}

/** Applies a patch; throws unknown_step_run when no row has this id. */
export async function patchStepRun(db: Db, id: string, row: Updateable<StepRunsTable>): Promise<void> {
  if (Object.keys(row).length === 0) {
    const found = await selectStepRun(db, id);
    if (!found) throw unknownStepRun(id);
    return;
  }
  const result = await db.executeQuery(patchStepRunQuery(db, id, row));
  if ((result.numAffectedRows ?? 0n) === 0n) throw unknownStepRun(id);
}

/** The UPDATE of a non-empty patch: one compiled statement per set of columns (running, completed, failed). */
export function patchStepRunQuery(db: Db, id: string, row: Updateable<StepRunsTable>): CompiledQuery {
  const columns = Object.keys(row) as (keyof StepRunsTable)[];
  return compilePrepared(
    db,
    `step_runs.patch:${columns.join(',')}`,
    [...columns.map((c) => row[c]), id],
    (...slots) =>
      db
        .updateTable('step_runs')
        .set(Object.fromEntries(columns.map((c, i) => [c, slots[i]])))
        .where('id', '=', slots[columns.length]!),
  );
}

async function selectStepRun(db: Db, id: string): Promise<Selectable<StepRunsTable> | undefined> {
  const { rows } = await executePrepared(db, 'step_runs.get', [id], (slot) =>
    db.selectFrom('step_runs').selectAll().where('id', '=', slot),
  );
  return rows[0];
}

export class StepRunsRepository {
  readonly #ctx: RepositoryContext;

  constructor(ctx: RepositoryContext) {
    this.#ctx = ctx;
  }

  async getStepRun(id: string): Promise<StepRunRecord | undefined> {
    const row = await selectStepRun(this.#ctx.db, id);
    return row && rowToStepRun(row, await loadIdentities(this.#ctx.db, [row]));
  }

  async listStepRuns(runId: string): Promise<StepRunRecord[]> {
    const rows = await this.#ctx.db
      .selectFrom('step_runs')
      .selectAll()
      .where('run_id', '=', runId)
      .orderBy('created_at')
      .orderBy('node_id')
      .orderBy('map_index')
      .execute();
    const identities = await loadIdentities(this.#ctx.db, rows);
    return rows.map((row) => rowToStepRun(row, identities));
  }

  async listStepStatuses(runId: string): Promise<StepRunStatus[]> {
    // No stored documents read, so nothing parsed: the run loop and progress views read this often.
    if (this.#ctx.readNow) return stepStatusesSql(this.#ctx.readNow, runId);
    const { rows } = await executePrepared(this.#ctx.db, 'step_runs.statuses', [runId], (slot) =>
      this.#ctx.db
        .selectFrom('step_runs')
        .select(['id', 'node_id', 'map_index', 'status', 'error', 'cache_reason', 'ended_at'])
        .where('run_id', '=', slot)
        .orderBy('created_at')
        .orderBy('node_id')
        .orderBy('map_index'),
    );
    return rows.map(rowToStatus);
  }

  /**
   * On SQLite, through the `changes` feed (migration 0007: a row per step row inserted or status
   * changed; `seq` is commit order, its writers being serialized): the rows named by changes after the
   * cursor, read by id, so a poll costs what changed, not every row of the run (3-5 µs a row). The
   * feed's head is read first: a change committed between the two reads is returned now and again
   * next time, never lost. On PostgreSQL (whose feed is ordered by transaction id and needs the
   * snapshot rule the server's feed uses) every row, each time.
   */
  async stepStatusesSince(runId: string, cursor: string | undefined): Promise<StepStatusesSince> {
    const db = this.#ctx.db;
    if (this.#ctx.traits.dialect !== 'sqlite')
      return { rows: await this.listStepStatuses(runId), cursor: '' };
    const read = this.#ctx.readNow;
    const head = read
      ? await feedHeadSql(read)
      : (await sql<{ seq: number | null }>`select max(seq) as seq from changes`.execute(db)).rows[0]?.seq;
    const next = String(head ?? 0);
    const after = cursor === undefined || !/^\d{1,15}$/.test(cursor) ? undefined : Number(cursor);
    if (after === undefined) return { rows: await this.listStepStatuses(runId), cursor: next };
    if (read) return { rows: await stepStatusesAfterSql(read, runId, after), cursor: next };
    const { rows } = await sql<StatusRow>`select id, node_id, map_index, status, error, cache_reason, ended_at
      from step_runs
      where id in (select json_extract(data, '$.stepRunId') from changes
                   where seq > ${after} and kind = 'step' and run_id = ${runId})
      order by created_at, node_id, map_index`.execute(db);
    return { rows: rows.map(rowToStatus), cursor: next };
  }

  async updateStepRun(id: string, patch: StepRunPatch): Promise<void> {
    // The identity first: a crash between the two leaves an unused identity, never a row without one.
    if (patch.cacheParts) await insertIdentities(this.#ctx.db, codeIdentities([patch.cacheParts]));
    await patchStepRun(this.#ctx.db, id, stepRunPatchToRow(patch));
  }

  async previousRunSteps(pipelineName: string, excludeRunId: string): Promise<PreviousRunSteps | undefined> {
    const { db } = this.#ctx;
    const run = await db
      .selectFrom('runs')
      .select('id')
      .where('pipeline_name', '=', pipelineName)
      .where('id', '<>', excludeRunId)
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!run) return undefined;
    // The same row filter and order as previousStepRun, within one run: the first row of a node wins.
    const rows = await db
      .selectFrom('step_runs')
      .selectAll()
      .where('run_id', '=', run.id)
      .where('status', 'in', ['completed', 'cached', 'failed'])
      .where('cache_parts', 'is not', null)
      .orderBy('created_at', 'desc')
      .orderBy('map_index', 'desc')
      .execute();
    const identities = await loadIdentities(db, rows);
    const steps = new Map<string, StepRunRecord>();
    for (const row of rows)
      if (!steps.has(row.node_id)) steps.set(row.node_id, rowToStepRun(row, identities));
    return { runId: run.id, steps };
  }

  async previousStepRun(
    pipelineName: string,
    nodeId: string,
    excludeRunId: string,
  ): Promise<StepRunRecord | undefined> {
    const row = await this.#ctx.db
      .selectFrom('step_runs as s')
      .innerJoin('runs as r', 'r.id', 's.run_id')
      .selectAll('s')
      .where('r.pipeline_name', '=', pipelineName)
      .where('s.node_id', '=', nodeId)
      .where('s.run_id', '<>', excludeRunId)
      .where('s.status', 'in', ['completed', 'cached', 'failed'])
      .where('s.cache_parts', 'is not', null)
      .orderBy('r.created_at', 'desc')
      .orderBy('s.created_at', 'desc')
      .orderBy('s.map_index', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row && rowToStepRun(row, await loadIdentities(this.#ctx.db, [row]));
  }
}
