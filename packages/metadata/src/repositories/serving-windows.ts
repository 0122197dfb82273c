import type { ServingWindowRecord } from '@strata/core/plugin';
import { fromJson, toJson } from '../schema/json.js';
import type { ServingWindowsTable } from '../schema/tables.js';
import type { Selectable } from '../vendor/kysely.js';
import { forUpdate, type RepositoryContext, writeTransaction } from './context.js';

type WindowKey = Pick<ServingWindowRecord, 'model' | 'version' | 'windowStart' | 'kind'>;

function rowToWindow(row: Selectable<ServingWindowsTable>): ServingWindowRecord {
  return {
    model: row.model,
    version: Number(row.version),
    windowStart: Number(row.window_start),
    kind: row.kind === 'feedback' ? 'feedback' : 'inputs',
    count: Number(row.count),
    stats: fromJson(row.stats),
    updatedAt: Number(row.updated_at),
  };
}

/** What model servers saw, per model version and time window (see ServingWindowRecord). */
export class ServingWindowsRepository {
  readonly #ctx: RepositoryContext;

  constructor(ctx: RepositoryContext) {
    this.#ctx = ctx;
  }

  async mergeServingWindow(
    key: WindowKey,
    merge: (previous: ServingWindowRecord | undefined) => Pick<ServingWindowRecord, 'count' | 'stats'>,
  ): Promise<void> {
    // Two servers creating the same new window race on the insert; the loser merges into the winner's row.
    for (let attempt = 0; ; attempt++) {
      try {
        await writeTransaction(this.#ctx, async (trx) => {
          const where = { ...this.#ctx, db: trx };
          const row = await forUpdate(
            where,
            trx
              .selectFrom('serving_windows')
              .selectAll()
              .where('model', '=', key.model)
              .where('version', '=', key.version)
              .where('window_start', '=', key.windowStart)
              .where('kind', '=', key.kind),
          ).executeTakeFirst();
          const next = merge(row && rowToWindow(row));
          const now = Date.now();
          if (row) {
            await trx
              .updateTable('serving_windows')
              .set({ count: next.count, stats: toJson(next.stats), updated_at: now })
              .where('model', '=', key.model)
              .where('version', '=', key.version)
              .where('window_start', '=', key.windowStart)
              .where('kind', '=', key.kind)
              .execute();
          } else {
            await trx
              .insertInto('serving_windows')
              .values({
                model: key.model,
                version: key.version,
                window_start: key.windowStart,
                kind: key.kind,
                count: next.count,
                stats: toJson(next.stats),
                updated_at: now,
              })
              .execute();
          }
        });
        return;
      } catch (error) {
        if (attempt < 2 && this.#ctx.traits.isUniqueViolation(error)) continue;
        throw error;
      }
    }
  }

  async servingWindows(query: {
    model: string;
    version?: number;
    kind?: ServingWindowRecord['kind'];
    since?: number;
  }): Promise<ServingWindowRecord[]> {
    let q = this.#ctx.db.selectFrom('serving_windows').selectAll().where('model', '=', query.model);
    if (query.version !== undefined) q = q.where('version', '=', query.version);
    if (query.kind !== undefined) q = q.where('kind', '=', query.kind);
    if (query.since !== undefined) q = q.where('window_start', '>=', query.since);
    return (await q.orderBy('window_start').orderBy('version').orderBy('kind').execute()).map(rowToWindow);
  }

  async pruneServingWindows(before: number): Promise<number> {
    const result = await this.#ctx.db
      .deleteFrom('serving_windows')
      .where('window_start', '<', before)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
