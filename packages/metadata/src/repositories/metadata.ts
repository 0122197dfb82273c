import type { JsonValue, MetadataEntry, MetadataOwner } from '@strata/core';
import { fromJson, toJson } from '../schema/json.js';
import { chunks, type Db, type RepositoryContext, writeTransaction } from './context.js';

/** Upserts entries (the last value of a key wins, within the batch too). */
export async function upsertMetadata(
  db: Db,
  entries: readonly Omit<MetadataEntry, 'createdAt'>[],
): Promise<void> {
  const now = Date.now();
  const latest = new Map<string, Omit<MetadataEntry, 'createdAt'>>();
  for (const e of entries) latest.set(JSON.stringify([e.ownerType, e.ownerId, e.key]), e);
  for (const batch of chunks([...latest.values()])) {
    await db
      .insertInto('metadata')
      .values(
        batch.map((e) => ({
          owner_type: e.ownerType,
          owner_id: e.ownerId,
          key: e.key,
          value: toJson(e.value),
          created_at: now,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['owner_type', 'owner_id', 'key']).doUpdateSet((eb) => ({
          value: eb.ref('excluded.value'),
          created_at: eb.ref('excluded.created_at'),
        })),
      )
      .execute();
  }
}

export class MetadataRepository {
  readonly #ctx: RepositoryContext;

  constructor(ctx: RepositoryContext) {
    this.#ctx = ctx;
  }

  async addMetadata(entries: readonly Omit<MetadataEntry, 'createdAt'>[]): Promise<void> {
    if (entries.length === 0) return;
    await writeTransaction(this.#ctx, (trx) => upsertMetadata(trx, entries));
  }

  async getMetadata(ownerType: MetadataOwner, ownerId: string): Promise<Record<string, JsonValue>> {
    const rows = await this.#ctx.db
      .selectFrom('metadata')
      .select(['key', 'value'])
      .where('owner_type', '=', ownerType)
      .where('owner_id', '=', ownerId)
      .orderBy('key')
      .execute();
    const out: Record<string, JsonValue> = {};
    for (const row of rows) out[row.key] = fromJson(row.value);
    return out;
  }
}
