import type { JsonValue } from '@strata/core';
import type { OwnerRecord, RunOwner } from '@strata/core/plugin';
import { fromJson, toJson } from '../schema/json.js';
import type { OwnersTable } from '../schema/tables.js';
import type { Selectable } from '../vendor/kysely.js';
import { chunks, type RepositoryContext, writeTransaction } from './context.js';

const ACTIVE = ['pending', 'running'] as const;

function rowToOwner(row: Selectable<OwnersTable>): OwnerRecord {
  return {
    runId: row.run_id,
    stepRunId: row.step_run_id === '' ? null : row.step_run_id,
    owner: fromJson(row.owner) as unknown as RunOwner,
    heartbeatAt: Number(row.heartbeat_at),
  };
}

/** Owner rows and the crash/close transitions that read them (see LivenessStore in @strata/core). */
export class OwnersRepository {
  readonly #ctx: RepositoryContext;

  constructor(ctx: RepositoryContext) {
    this.#ctx = ctx;
  }

  async setOwner(record: OwnerRecord): Promise<void> {
    const row = {
      run_id: record.runId,
      step_run_id: record.stepRunId ?? '',
      owner: toJson(record.owner as unknown as JsonValue) ?? '{}',
      heartbeat_at: record.heartbeatAt,
    };
    await this.#ctx.db
      .insertInto('owners')
      .values(row)
      .onConflict((oc) =>
        oc
          .columns(['run_id', 'step_run_id'])
          .doUpdateSet({ owner: row.owner, heartbeat_at: row.heartbeat_at }),
      )
      .execute();
  }

  async heartbeat(runIds: readonly string[], at: number): Promise<void> {
    for (const ids of chunks(runIds, 500)) {
      if (ids.length === 0) continue;
      await this.#ctx.db.updateTable('owners').set({ heartbeat_at: at }).where('run_id', 'in', ids).execute();
    }
  }

  async owners(runIds: readonly string[]): Promise<OwnerRecord[]> {
    const out: OwnerRecord[] = [];
    for (const ids of chunks(runIds, 500)) {
      if (ids.length === 0) continue;
      const rows = await this.#ctx.db.selectFrom('owners').selectAll().where('run_id', 'in', ids).execute();
      out.push(...rows.map(rowToOwner));
    }
    return out;
  }

  async markCrashed(runId: string, reason: string, at: number): Promise<boolean> {
    return writeTransaction(this.#ctx, (trx) => crashRun(trx, runId, reason, at));
  }

  async closeActiveSteps(
    runId: string,
    status: 'cancelled' | 'crashed',
    reason: string,
    at: number,
  ): Promise<number> {
    return writeTransaction(this.#ctx, (trx) => closeSteps(trx, runId, status, reason, at));
  }
}

/**
 * Marks every pending or running run `crashed` with `reason` (its running steps too, its pending ones
 * cancelled), in the caller's transaction; returns their ids. For `strata import`: a run exported while
 * in flight has no owner in the new store (owners are not exported), so no reader would ever end it.
 */
export async function crashActiveRuns(
  trx: RepositoryContext['db'],
  reason: string,
  at: number,
): Promise<string[]> {
  const active = await trx.selectFrom('runs').select('id').where('status', 'in', ACTIVE).execute();
  for (const { id } of active) await crashRun(trx, id, reason, at);
  return active.map((r) => r.id);
}

/** The run `crashed` if it is still pending or running, and its steps closed; false if it was not. */
async function crashRun(
  trx: RepositoryContext['db'],
  runId: string,
  reason: string,
  at: number,
): Promise<boolean> {
  const result = await trx
    .updateTable('runs')
    .set({ status: 'crashed', ended_at: at, error: reason })
    .where('id', '=', runId)
    .where('status', 'in', ACTIVE)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) return false;
  await closeSteps(trx, runId, 'crashed', reason, at);
  return true;
}

/** Running steps get `status`; pending ones (never started, or not yet marked running) `cancelled`. */
async function closeSteps(
  trx: RepositoryContext['db'],
  runId: string,
  status: 'cancelled' | 'crashed',
  reason: string,
  at: number,
): Promise<number> {
  const running = await trx
    .updateTable('step_runs')
    .set({ status, ended_at: at, error: reason })
    .where('run_id', '=', runId)
    .where('status', '=', 'running')
    .executeTakeFirst();
  const pending = await trx
    .updateTable('step_runs')
    .set({ status: 'cancelled', ended_at: at, error: `not finished: ${reason}` })
    .where('run_id', '=', runId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(running.numUpdatedRows) + Number(pending.numUpdatedRows);
}
