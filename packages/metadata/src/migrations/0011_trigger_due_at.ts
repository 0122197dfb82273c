import { type Kysely, sql } from '../vendor/kysely.js';
import type { Migration } from './migration.js';

/**
 * `triggers.due_at`: when a schedule is next due (core's triggerDueAt of its cursor; null for other
 * kinds, which are looked at every tick). A fresh agent reads (name, updated_at, due_at) of every
 * trigger and parses only the rows that are due: over 1,000 schedules its first tick read and parsed
 * every row's JSON. Existing schedule rows are filled from their cursors' `nextDue`.
 */
export const triggerDueAt: Migration = {
  version: 11,
  name: 'trigger_due_at',
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('triggers').addColumn('due_at', 'bigint').execute();
    await db.schema.createIndex('triggers_by_due_at').on('triggers').column('due_at').execute();
    const rows = await sql<{ name: string; cursor: string | null }>`
      select name, cursor from triggers where kind = 'schedule' and cursor is not null`.execute(db);
    for (const row of rows.rows) {
      let next: unknown;
      try {
        next = (JSON.parse(row.cursor!) as { nextDue?: unknown }).nextDue;
      } catch {
        continue;
      }
      const due = next === null ? Number.MAX_SAFE_INTEGER : typeof next === 'number' ? next : undefined;
      if (due !== undefined)
        await sql`update triggers set due_at = ${due} where name = ${row.name}`.execute(db);
    }
  },
};
