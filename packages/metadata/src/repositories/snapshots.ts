import type { SnapshotRecord } from '@strata/core';
import { parseSnapshotBody, storeSnapshotBody } from '@strata/core/plugin';
import { documentFromJson, toJson } from '../schema/json.js';
import type { RepositoryContext } from './context.js';

export class SnapshotsRepository {
  readonly #ctx: RepositoryContext;

  constructor(ctx: RepositoryContext) {
    this.#ctx = ctx;
  }

  /** Snapshots are immutable: saving one that exists (same id) is a no-op. */
  async saveSnapshot(snapshot: SnapshotRecord): Promise<void> {
    await this.#ctx.db
      .insertInto('snapshots')
      .values({
        id: snapshot.id,
        pipeline_name: snapshot.pipelineName,
        body: toJson(storeSnapshotBody(snapshot.body)),
        created_at: snapshot.createdAt,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  }

  async getSnapshot(id: string): Promise<SnapshotRecord | undefined> {
    const row = await this.#ctx.db
      .selectFrom('snapshots')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      id: row.id,
      pipelineName: row.pipeline_name,
      body: parseSnapshotBody(documentFromJson(row.body, 'snapshots.body', row.id), row.id),
      createdAt: row.created_at,
    };
  }
}
