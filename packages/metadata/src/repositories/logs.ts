import type { LogLevel, LogLine } from '@strata/core';
import { StrataError } from '@strata/core';
import { chunks, type Db, type RepositoryContext, writeTransaction } from './context.js';

export interface LogQuery {
  readonly stepRunId?: string;
  readonly runId?: string;
  readonly afterSeq?: number;
  readonly level?: LogLevel;
  readonly limit?: number;
}

export class LogsRepository {
  readonly #ctx: RepositoryContext;

  constructor(ctx: RepositoryContext) {
    this.#ctx = ctx;
  }

  /** Appends lines; a line whose (stepRunId, seq) is already stored is skipped, so a retry is harmless. */
  async appendLogs(lines: readonly LogLine[]): Promise<void> {
    if (lines.length === 0) return;
    const insert = async (db: Db, batch: readonly LogLine[]) => {
      await db
        .insertInto('logs')
        .values(
          batch.map((l) => ({
            step_run_id: l.stepRunId,
            seq: l.seq,
            at: l.at,
            level: l.level,
            message: l.message,
          })),
        )
        .onConflict((oc) => oc.columns(['step_run_id', 'seq']).doNothing())
        .execute();
    };
    const batches = chunks(lines);
    try {
      // One statement commits on its own; several go in one transaction.
      if (batches.length === 1) await insert(this.#ctx.db, lines);
      else
        await writeTransaction(this.#ctx, async (trx) => {
          for (const batch of batches) await insert(trx, batch);
        });
    } catch (error) {
      if (this.#ctx.traits.isForeignKeyViolation(error)) {
        const ids = [...new Set(lines.map((l) => l.stepRunId))];
        throw new StrataError(
          `cannot append logs: step run ${ids.map((id) => `"${id}"`).join(', ')} not found`,
          {
            code: 'unknown_step_run',
            field: 'stepRunId',
            value: ids.length === 1 ? ids[0] : ids,
            fix: 'append logs only for step runs that were created (createRun / addStepRuns)',
            cause: error,
          },
        );
      }
      throw error;
    }
  }

  async readLogs(query: LogQuery): Promise<LogLine[]> {
    const db = this.#ctx.db;
    let q = db.selectFrom('logs').selectAll();
    if (query.stepRunId !== undefined) {
      q = q.where('step_run_id', '=', query.stepRunId);
    } else if (query.runId !== undefined) {
      const runId = query.runId;
      q = q.where('step_run_id', 'in', db.selectFrom('step_runs').select('id').where('run_id', '=', runId));
    } else {
      throw new StrataError('readLogs needs a stepRunId or a runId', {
        code: 'invalid_query',
        field: 'stepRunId',
        value: undefined,
        fix: 'pass { stepRunId } for one step or { runId } for every step of a run',
      });
    }
    if (query.afterSeq !== undefined) q = q.where('seq', '>', query.afterSeq);
    if (query.level !== undefined) q = q.where('level', '=', query.level);
    q = q.orderBy('at').orderBy('seq').orderBy('step_run_id');
    if (query.limit !== undefined) q = q.limit(query.limit);
    const rows = await q.execute();
    return rows.map((r) => ({
      stepRunId: r.step_run_id,
      seq: r.seq,
      at: r.at,
      level: r.level,
      message: r.message,
    }));
  }
}
