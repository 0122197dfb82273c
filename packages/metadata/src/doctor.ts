import { schemaState } from './migrator.js';
import type { SqlStrataDatabase } from './strata-database.js';
import { sql } from './vendor/kysely.js';

/** One thing `strata doctor` found in the metadata store, and whether `--repair` fixed it. */
export interface DatabaseFinding {
  readonly check: 'integrity' | 'schema' | 'dangling';
  readonly ok: boolean;
  readonly message: string;
  readonly repaired?: boolean;
}

const ACTIVE = ['pending', 'running'] as const;

/**
 * The store's own health: SQLite's integrity check (PostgreSQL checks its pages itself), the schema
 * version, and rows that point at nothing or outlived their run. `repair` fixes only what is safe:
 * owner rows of finished runs are deleted, and step rows still active in a finished run are closed.
 * A run whose snapshot is gone is reported, never deleted (its artifacts may still matter).
 */
export async function checkDatabase(
  database: SqlStrataDatabase,
  options: { repair?: boolean } = {},
): Promise<DatabaseFinding[]> {
  const { db, traits } = database.context;
  const out: DatabaseFinding[] = [];
  if (traits.dialect === 'sqlite') {
    const rows = (await sql<{ integrity_check: string }>`pragma integrity_check`.execute(db)).rows;
    const problems = rows.map((r) => Object.values(r)[0] as string).filter((m) => m !== 'ok');
    out.push({
      check: 'integrity',
      ok: problems.length === 0,
      message:
        problems.length === 0
          ? 'SQLite integrity check: ok'
          : `SQLite integrity check failed: ${problems.slice(0, 5).join('; ')}`,
    });
  } else {
    // PostgreSQL checks its own pages; what it can leave behind is an index a failed build marked
    // invalid (queries then ignore it and slow down, unique ones stop enforcing).
    const rows = (
      await sql<{ name: string }>`select c.relname as name from pg_index i
        join pg_class c on c.oid = i.indexrelid join pg_namespace n on n.oid = c.relnamespace
        where not i.indisvalid and n.nspname = current_schema()`.execute(db)
    ).rows;
    out.push({
      check: 'integrity',
      ok: rows.length === 0,
      message:
        rows.length === 0
          ? 'PostgreSQL: every index of the schema is valid'
          : `PostgreSQL: invalid indexes ${rows.map((r) => r.name).join(', ')}; rebuild them with \`REINDEX INDEX name\` in psql`,
    });
  }
  const state = await schemaState(db, traits);
  out.push({
    check: 'schema',
    ok: state.pending.length === 0 && state.current <= state.latest,
    message:
      state.pending.length === 0
        ? `schema version ${state.current} (current)`
        : `schema version ${state.current}; not applied: ${state.pending.map((p) => p.version).join(', ')} (run \`strata migrate up\`)`,
  });

  // An owner row is written just before its run row: only those older than a minute are dangling.
  const ownerCutoff = Date.now() - 60_000;
  const strayOwners = await db
    .selectFrom('owners')
    .select('run_id')
    .distinct()
    .where('heartbeat_at', '<', ownerCutoff)
    .where((eb) =>
      eb.not(eb.exists(eb.selectFrom('runs').select('id').whereRef('runs.id', '=', 'owners.run_id'))),
    )
    .execute();
  const strayIds = strayOwners.map((r) => r.run_id);
  if (options.repair && strayIds.length > 0)
    await db
      .deleteFrom('owners')
      .where('run_id', 'in', strayIds)
      .where('heartbeat_at', '<', ownerCutoff)
      .execute();
  out.push({
    check: 'dangling',
    ok: strayIds.length === 0,
    message: `${strayIds.length} owner rows of runs that do not exist`,
    ...(options.repair && strayIds.length > 0 ? { repaired: true } : {}),
  });

  const orphanSteps = await db
    .selectFrom('step_runs')
    .innerJoin('runs', 'runs.id', 'step_runs.run_id')
    .select(['step_runs.id as id', 'step_runs.run_id as runId', 'runs.status as runStatus'])
    .where('step_runs.status', 'in', ACTIVE)
    .where('runs.status', 'not in', ACTIVE)
    .execute();
  if (options.repair) {
    for (const runId of new Set(orphanSteps.map((s) => s.runId)))
      await database.closeActiveSteps(
        runId,
        'cancelled',
        'closed by strata doctor --repair: the run is over',
        Date.now(),
      );
  }
  out.push({
    check: 'dangling',
    ok: orphanSteps.length === 0,
    message: `${orphanSteps.length} step rows still pending/running in a finished run`,
    ...(options.repair && orphanSteps.length > 0 ? { repaired: true } : {}),
  });

  const noSnapshot = await db
    .selectFrom('runs')
    .select('id')
    .where((eb) =>
      eb.not(
        eb.exists(eb.selectFrom('snapshots').select('id').whereRef('snapshots.id', '=', 'runs.snapshot_id')),
      ),
    )
    .execute();
  out.push({
    check: 'dangling',
    ok: noSnapshot.length === 0,
    message: `${noSnapshot.length} runs whose snapshot is missing${
      noSnapshot.length > 0
        ? ` (${noSnapshot
            .slice(0, 3)
            .map((r) => r.id)
            .join(', ')}; not repairable: restore from an export)`
        : ''
    }`,
  });
  return out;
}

/** A stored blob to verify: one per distinct store key (artifacts of the same content share it). */
export interface BlobRef {
  readonly storeKey: string;
  readonly storeIdentity: string;
  readonly sha256: string;
  readonly artifactId: string;
}

/** Blobs the artifacts point at, newest first; `limit` samples that many at random (undefined: all). */
export async function listBlobs(database: SqlStrataDatabase, limit?: number): Promise<BlobRef[]> {
  const { db } = database.context;
  let q = db
    .selectFrom('artifacts')
    .select((eb) => ['store_key', 'store_identity', 'sha256', eb.fn.max('id').as('artifact_id')])
    .where('store_key', '!=', '')
    .groupBy(['store_key', 'store_identity', 'sha256']);
  if (limit !== undefined) q = q.orderBy(sql`random()`).limit(limit);
  const rows = await q.execute();
  return rows.map((r) => ({
    storeKey: r.store_key,
    storeIdentity: r.store_identity,
    sha256: r.sha256,
    artifactId: String(r.artifact_id),
  }));
}
