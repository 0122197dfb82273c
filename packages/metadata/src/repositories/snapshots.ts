import type { SnapshotRecord } from '@strata/core';
import { parseSnapshotBody, type Snapshot, storeSnapshotBody } from '@strata/core/plugin';
import { documentFromJson, toJson } from '../schema/json.js';
import type { RepositoryContext } from './context.js';

/** Snapshot texts this process wrote, remembered (see SnapshotsRepository.#written): the newest few. */
const WRITTEN_TEXTS = 8;

export class SnapshotsRepository {
  readonly #ctx: RepositoryContext;
  /**
   * The stored text of the snapshots this process saved, by id. A stored body that is this exact text
   * was made here from a compiled Snapshot, so reading it back skips the schema check: checking a
   * 500-node body costs ~30 ms of CPU (~0.06 ms per step of the run that reads it: `strata run`'s
   * progress display reads the snapshot it just saved), against ~1 ms to parse the JSON. Any other
   * text (an older row under the same id, a row changed outside Strata) is checked as before.
   */
  readonly #written = new Map<string, string>();

  constructor(ctx: RepositoryContext) {
    this.#ctx = ctx;
  }

  /** Snapshots are immutable: saving one that exists (same id) is a no-op. */
  async saveSnapshot(snapshot: SnapshotRecord): Promise<void> {
    const body = toJson(storeSnapshotBody(snapshot.body));
    await this.#ctx.db
      .insertInto('snapshots')
      .values({
        id: snapshot.id,
        pipeline_name: snapshot.pipelineName,
        body,
        created_at: snapshot.createdAt,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    if (body === null) return;
    this.#written.delete(snapshot.id);
    this.#written.set(snapshot.id, body);
    if (this.#written.size > WRITTEN_TEXTS) this.#written.delete(this.#written.keys().next().value!);
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
      body:
        row.body !== null && this.#written.get(id) === row.body
          ? writtenBody(row.body)
          : parseSnapshotBody(documentFromJson(row.body, 'snapshots.body', row.id), row.id),
      createdAt: row.created_at,
    };
  }
}

/**
 * A body this process stored (storeSnapshotBody of a compiled Snapshot), read back: the JSON without
 * its version field, deep-equal to what parseSnapshotBody returns for it (snapshots.spec compares the two).
 */
function writtenBody(text: string): Snapshot {
  const { schemaVersion: _version, ...body } = JSON.parse(text) as Snapshot & { schemaVersion: number };
  return body;
}
