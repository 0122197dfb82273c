import type { ArtifactRecord, EventRecord, EventType } from '@strata/core';
import type { ArtifactLineage, ArtifactQuery } from '@strata/core/plugin';
import { fromJson, toJson } from '../schema/json.js';
import type { ArtifactsTable, EventsTable } from '../schema/tables.js';
import type { CompiledQuery, Selectable } from '../vendor/kysely.js';
import { loadIdentities } from './code-identities.js';
import { chunks, type Db, type RepositoryContext } from './context.js';
import { compilePrepared, executePrepared } from './prepared.js';
import { eventsWithArtifactsSql, outputEventsOfSql } from './read-sql.js';
import { rowToStepRun } from './step-runs.js';

export function rowToArtifact(row: Selectable<ArtifactsTable>): ArtifactRecord {
  return {
    id: row.id,
    uri: row.uri,
    storeKey: row.store_key,
    storeIdentity: row.store_identity,
    sha256: row.sha256,
    size: row.size,
    kind: row.kind,
    materializer: row.materializer,
    materializerVersion: row.materializer_version,
    summary: fromJson(row.summary),
    producerStepRunId: row.producer_step_run_id,
    createdAt: row.created_at,
  };
}

export function artifactToRow(a: ArtifactRecord): Selectable<ArtifactsTable> {
  return {
    id: a.id,
    uri: a.uri,
    store_key: a.storeKey,
    store_identity: a.storeIdentity,
    sha256: a.sha256,
    size: a.size,
    kind: a.kind,
    materializer: a.materializer,
    materializer_version: a.materializerVersion,
    summary: toJson(a.summary),
    producer_step_run_id: a.producerStepRunId,
    created_at: a.createdAt,
  };
}

export function rowToEvent(row: Selectable<EventsTable>): EventRecord {
  return {
    stepRunId: row.step_run_id,
    artifactId: row.artifact_id,
    type: row.type,
    name: row.name,
    position: row.position,
  };
}

/** The column order of artifactToRow (derived, so the two cannot drift apart). */
export const artifactColumns = Object.keys(
  artifactToRow({} as ArtifactRecord),
) as (keyof Selectable<ArtifactsTable>)[];
const eventColumns = ['step_run_id', 'artifact_id', 'type', 'name', 'position'] as const;

/** Multi-row insert compiled once per row count (every row has every column; undefined binds null). */
function insertRowsQuery<T extends 'artifacts' | 'events', C extends string>(
  db: Db,
  table: T,
  columns: readonly C[],
  rows: readonly Record<C, unknown>[],
): CompiledQuery {
  const values = rows.flatMap((row) => columns.map((c) => row[c] ?? null));
  return compilePrepared(db, `${table}.insert:${rows.length}`, values, (...slots) =>
    db
      .insertInto(table)
      .values(
        rows.map((_, r) =>
          Object.fromEntries(columns.map((c, i) => [c, slots[r * columns.length + i]])),
        ) as never,
      ),
  );
}

/** The INSERTs of these artifacts (100 rows a statement). */
export function insertArtifactsQueries(db: Db, artifacts: readonly ArtifactRecord[]): CompiledQuery[] {
  return chunks(artifacts).map((batch) =>
    insertRowsQuery(db, 'artifacts', artifactColumns, batch.map(artifactToRow)),
  );
}

/** The INSERTs of these events (100 rows a statement). */
export function insertEventsQueries(db: Db, events: readonly EventRecord[]): CompiledQuery[] {
  return chunks(events).map((batch) =>
    insertRowsQuery(
      db,
      'events',
      eventColumns,
      batch.map((e) => ({
        step_run_id: e.stepRunId,
        artifact_id: e.artifactId,
        type: e.type,
        name: e.name,
        position: e.position,
      })),
    ),
  );
}

export async function insertArtifacts(db: Db, artifacts: readonly ArtifactRecord[]): Promise<void> {
  for (const query of insertArtifactsQueries(db, artifacts)) await db.executeQuery(query);
}

export async function insertEvents(db: Db, events: readonly EventRecord[]): Promise<void> {
  for (const query of insertEventsQueries(db, events)) await db.executeQuery(query);
}

/** Events of one step run joined with their artifacts, optionally of one type. */
export async function eventsWithArtifacts(
  db: Db,
  stepRunId: string,
  type?: EventType,
): Promise<(EventRecord & { artifact: ArtifactRecord })[]> {
  const { rows } = await executePrepared(
    db,
    type === undefined ? 'events.with-artifacts' : 'events.with-artifacts:type',
    type === undefined ? [stepRunId] : [stepRunId, type],
    (id, eventType) => {
      let query = db
        .selectFrom('events as e')
        .innerJoin('artifacts as a', 'a.id', 'e.artifact_id')
        .selectAll(['e', 'a'])
        .where('e.step_run_id', '=', id);
      if (type !== undefined) query = query.where('e.type', '=', eventType);
      return query.orderBy('e.type').orderBy('e.name').orderBy('e.position');
    },
  );
  return rows.map((row) => ({ ...rowToEvent(row), artifact: rowToArtifact(row) }));
}

/** Step run ids per query of outputEventsOf (well under every driver's limit of bound parameters). */
const OUTPUT_EVENTS_CHUNK = 500;

export class ArtifactsRepository {
  readonly #ctx: RepositoryContext;

  constructor(ctx: RepositoryContext) {
    this.#ctx = ctx;
  }

  async getArtifact(id: string): Promise<ArtifactRecord | undefined> {
    const row = await this.#ctx.db
      .selectFrom('artifacts')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && rowToArtifact(row);
  }

  async listArtifacts(query: ArtifactQuery = {}): Promise<ArtifactRecord[]> {
    let q = this.#ctx.db.selectFrom('artifacts').selectAll();
    if (query.sha256 !== undefined) q = q.where('sha256', '=', query.sha256);
    if (query.kind !== undefined) q = q.where('kind', '=', query.kind);
    q = q.orderBy('created_at', 'desc').orderBy('id', 'desc');
    if (query.limit !== undefined) q = q.limit(query.limit);
    return (await q.execute()).map(rowToArtifact);
  }

  stepRunEvents(stepRunId: string): Promise<(EventRecord & { artifact: ArtifactRecord })[]> {
    const { readNow } = this.#ctx;
    return readNow
      ? eventsWithArtifactsSql(readNow, stepRunId)
      : eventsWithArtifacts(this.#ctx.db, stepRunId);
  }

  /** One query per chunk of ids (a progress view asks for every step that finished since its last look). */
  async outputEventsOf(
    stepRunIds: readonly string[],
  ): Promise<Map<string, (EventRecord & { artifact: ArtifactRecord })[]>> {
    const found = new Map<string, (EventRecord & { artifact: ArtifactRecord })[]>();
    const { readNow } = this.#ctx;
    for (const ids of chunks([...new Set(stepRunIds)], OUTPUT_EVENTS_CHUNK)) {
      if (readNow) {
        await outputEventsOfSql(readNow, ids, found);
        continue;
      }
      const rows = await this.#ctx.db
        .selectFrom('events as e')
        .innerJoin('artifacts as a', 'a.id', 'e.artifact_id')
        .selectAll(['e', 'a'])
        .where('e.type', '=', 'output')
        .where('e.step_run_id', 'in', ids)
        .orderBy('e.step_run_id')
        .orderBy('e.name')
        .orderBy('e.position')
        .execute();
      for (const row of rows) {
        const event = { ...rowToEvent(row), artifact: rowToArtifact(row) };
        const list = found.get(event.stepRunId);
        if (list) list.push(event);
        else found.set(event.stepRunId, [event]);
      }
    }
    return found;
  }

  async lineage(artifactId: string): Promise<ArtifactLineage | undefined> {
    const artifact = await this.getArtifact(artifactId);
    if (!artifact) return undefined;
    const rows = await this.#ctx.db
      .selectFrom('events as e')
      .innerJoin('step_runs as s', 's.id', 'e.step_run_id')
      .selectAll('s')
      .select(['e.type as event_type', 'e.name as event_name', 'e.position as event_position'])
      .where('e.artifact_id', '=', artifactId)
      .orderBy('s.created_at')
      .orderBy('s.id')
      .orderBy('e.name')
      .orderBy('e.position')
      .execute();
    const identities = await loadIdentities(this.#ctx.db, rows);
    const producers = new Map<string, ReturnType<typeof rowToStepRun>>();
    const consumers: { stepRun: ReturnType<typeof rowToStepRun>; name: string }[] = [];
    for (const row of rows) {
      if (row.event_type === 'output') {
        if (!producers.has(row.id)) producers.set(row.id, rowToStepRun(row, identities));
      } else {
        consumers.push({ stepRun: rowToStepRun(row, identities), name: row.event_name });
      }
    }
    return { artifact, producers: [...producers.values()], consumers };
  }
}
