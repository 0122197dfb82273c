import type { ArtifactRecord, EventRecord, EventType } from '@strata/core';
import type { CachedStep, StepRunStatus } from '@strata/core/plugin';
import { fromJson } from '../schema/json.js';
import type { ReadNow } from './context.js';

/**
 * The hot reads of a run as plain SQL on SQLite (RepositoryContext.readNow): a mapped step's events
 * (its items, then its collected outputs, a row per instance each), the outputs a progress view
 * prints, a run's step statuses, a step's cache look-up. Each returns the records the Kysely query of
 * the same name builds, in the same order (read-sql.spec.ts compares them): only the way rows come
 * back differs, as arrays turned into records at once instead of an object per row copied into a
 * record.
 */

export type EventWithArtifact = EventRecord & { artifact: ArtifactRecord };

/** The event's columns, then the artifact's, in the order eventRow reads them. */
const EVENT_AND_ARTIFACT_COLUMNS = `e.step_run_id, e.artifact_id, e.type, e.name, e.position,
  a.id, a.uri, a.store_key, a.store_identity, a.sha256, a.size, a.kind, a.materializer,
  a.materializer_version, a.summary, a.producer_step_run_id, a.created_at`;
const EVENT_AND_ARTIFACT = `${EVENT_AND_ARTIFACT_COLUMNS}
  from events as e inner join artifacts as a on a.id = e.artifact_id`;

const EVENTS_OF_STEP = `select ${EVENT_AND_ARTIFACT} where e.step_run_id = ? order by e.type, e.name, e.position`;
const EVENTS_OF_STEP_BY_TYPE = `select ${EVENT_AND_ARTIFACT} where e.step_run_id = ? and e.type = ? order by e.type, e.name, e.position`;
/** The ids as one JSON array: one statement text whatever their number (an `in (?, ?, …)` list is one per count). */
const OUTPUT_EVENTS_OF = `select ${EVENT_AND_ARTIFACT}
  where e.type = 'output' and e.step_run_id in (select value from json_each(?))
  order by e.step_run_id, e.name, e.position`;

function eventRow(r: unknown[]): EventWithArtifact {
  return {
    stepRunId: r[0] as string,
    artifactId: r[1] as string,
    type: r[2] as EventType,
    name: r[3] as string,
    position: r[4] as number,
    artifact: {
      id: r[5] as string,
      uri: r[6] as string,
      storeKey: r[7] as string,
      storeIdentity: r[8] as string,
      sha256: r[9] as string,
      size: r[10] as number,
      kind: r[11] as ArtifactRecord['kind'],
      materializer: r[12] as string,
      materializerVersion: r[13] as number,
      summary: fromJson(r[14] as string | null),
      producerStepRunId: r[15] as string,
      createdAt: r[16] as number,
    },
  };
}

/** eventsWithArtifacts on SQLite. */
export async function eventsWithArtifactsSql(
  read: ReadNow,
  stepRunId: string,
  type?: EventType,
): Promise<EventWithArtifact[]> {
  const rows =
    type === undefined
      ? await read(EVENTS_OF_STEP, [stepRunId])
      : await read(EVENTS_OF_STEP_BY_TYPE, [stepRunId, type]);
  return rows.map(eventRow);
}

/** The output events of these step runs (distinct ids), grouped by step run in the order of outputEventsOf. */
export async function outputEventsOfSql(
  read: ReadNow,
  stepRunIds: readonly string[],
  found: Map<string, EventWithArtifact[]>,
): Promise<void> {
  for (const row of await read(OUTPUT_EVENTS_OF, [JSON.stringify(stepRunIds)])) {
    const event = eventRow(row);
    const list = found.get(event.stepRunId);
    if (list) list.push(event);
    else found.set(event.stepRunId, [event]);
  }
}

/** findCachedStep's statement (cache-lookup.ts): the hit's columns after the event's and artifact's. */
function cachedQuery(since: boolean): string {
  return `select ${EVENT_AND_ARTIFACT_COLUMNS}, s.id, s.run_id, s.node_id
  from (select id, run_id, node_id from step_runs
        where cache_key = ? and status = 'completed'${since ? ' and coalesce(ended_at, created_at) >= ?' : ''}
        order by coalesce(ended_at, created_at) desc, id desc limit 1) as s
  left join events as e on e.step_run_id = s.id and e.type = 'output'
  left join artifacts as a on a.id = e.artifact_id
  order by e.name, e.position`;
}
const CACHED = cachedQuery(false);
const CACHED_SINCE = cachedQuery(true);

/** findCached on SQLite: the step of a cached re-run asks it once, so it skips the query builder too. */
export async function findCachedSql(
  read: ReadNow,
  cacheKey: string,
  notBefore: number | undefined,
): Promise<CachedStep | undefined> {
  const rows =
    notBefore === undefined
      ? await read(CACHED, [cacheKey])
      : await read(CACHED_SINCE, [cacheKey, notBefore]);
  const [first] = rows;
  if (!first) return undefined;
  const outputs: CachedStep['outputs'][number][] = [];
  for (const row of rows) {
    if (row[5] === null) continue;
    const { name, position, artifact } = eventRow(row);
    outputs.push({ name, position, artifact });
  }
  return {
    stepRun: { id: first[17] as string, runId: first[18] as string, nodeId: first[19] as string },
    outputs,
  };
}

const STATUS_COLUMNS = 'id, node_id, map_index, status, error, cache_reason, ended_at';
const STATUSES = `select ${STATUS_COLUMNS} from step_runs where run_id = ? order by created_at, node_id, map_index`;
const STATUSES_SINCE = `select ${STATUS_COLUMNS}
  from step_runs
  where id in (select json_extract(data, '$.stepRunId') from changes
               where seq > ? and kind = 'step' and run_id = ?)
  order by created_at, node_id, map_index`;
const FEED_HEAD = 'select max(seq) from changes';

function statusRow(r: unknown[]): StepRunStatus {
  return {
    id: r[0] as string,
    nodeId: r[1] as string,
    mapIndex: r[2] as number,
    status: r[3] as StepRunStatus['status'],
    error: r[4] as string | null,
    cacheReason: r[5] as string | null,
    endedAt: r[6] as number | null,
  };
}

/** listStepStatuses on SQLite. */
export async function stepStatusesSql(read: ReadNow, runId: string): Promise<StepRunStatus[]> {
  return (await read(STATUSES, [runId])).map(statusRow);
}

/** The rows of this run named by changes after `after` (stepStatusesSince's query on SQLite). */
export async function stepStatusesAfterSql(
  read: ReadNow,
  runId: string,
  after: number,
): Promise<StepRunStatus[]> {
  return (await read(STATUSES_SINCE, [after, runId])).map(statusRow);
}

/** The change feed's last seq (null when it is empty). */
export async function feedHeadSql(read: ReadNow): Promise<number | null> {
  return ((await read(FEED_HEAD, []))[0]?.[0] as number | null | undefined) ?? null;
}
