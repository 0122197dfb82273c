import type { SqlStrataDatabase } from './strata-database.js';

/** The id chosen when this store was created (migration 0003); undefined on a store without one. */
export async function storeIdOf(database: SqlStrataDatabase): Promise<string | undefined> {
  const db = database.context.db;
  try {
    const row = await db
      .selectFrom('strata_store')
      .select('id')
      .orderBy('created_at')
      .limit(1)
      .executeTakeFirst();
    return row?.id;
  } catch (error) {
    if (database.context.traits.isMissingTable(error)) return undefined;
    throw error;
  }
}
