import { StrataError } from '../../errors/strata-error.js';
import type { ArtifactLineage, ArtifactQuery, StepCompletion } from '../../metadata/metadata-store.js';
import type {
  ArtifactRecord,
  EventRecord,
  EventType,
  JsonValue,
  LogLevel,
  LogLine,
  MetadataEntry,
  MetadataOwner,
  StepRunRecord,
} from '../../metadata/records.js';
import { json, key, type MemoryTables, orderBy } from './tables.js';

function copyArtifact(a: ArtifactRecord): ArtifactRecord {
  return { ...a, summary: json(a.summary) };
}

/** Events of a step run with their artifacts, ordered by type, name, position (the SQL join's order). */
export function eventsWithArtifacts(
  t: MemoryTables,
  stepRunId: string,
  type?: EventType,
): (EventRecord & { artifact: ArtifactRecord })[] {
  return [...t.events.values()]
    .filter((e) => e.stepRunId === stepRunId && (type === undefined || e.type === type))
    .sort(
      orderBy(
        (e) => e.type,
        (e) => e.name,
        (e) => e.position,
      ),
    )
    .map((e) => ({ ...e, artifact: copyArtifact(t.artifacts.get(e.artifactId)!) }));
}

function upsertMetadata(t: MemoryTables, entries: readonly Omit<MetadataEntry, 'createdAt'>[]): void {
  const now = Date.now();
  for (const e of entries) {
    t.metadata.set(key(e.ownerType, e.ownerId, e.key), { value: json(e.value), createdAt: now });
  }
}

/**
 * Checks a completion's new artifacts, events and metadata against the stored rows (the foreign and
 * primary keys of the SQL schema) and returns the write, which cannot fail: the caller runs it only
 * once every check of the completion passed.
 */
export function writeLineage(t: MemoryTables, c: StepCompletion): () => void {
  const newIds = new Set<string>();
  for (const a of c.artifacts) {
    if (t.artifacts.has(a.id) || newIds.has(a.id)) throw duplicate(c);
    newIds.add(a.id);
  }
  const missing = [
    ...new Set(c.events.map((e) => e.artifactId).filter((id) => !t.artifacts.has(id) && !newIds.has(id))),
  ];
  if (missing.length > 0) {
    throw new StrataError(
      `completing step run "${c.stepRunId}": events refer to unknown artifact ${missing.map((id) => `"${id}"`).join(', ')}`,
      {
        code: 'unknown_artifact',
        field: 'events.artifactId',
        value: missing.length === 1 ? missing[0] : missing,
        fix: 'record each new artifact in `artifacts` of the same completion, or refer to an existing artifact id',
      },
    );
  }
  const producers = c.artifacts.map((a) => a.producerStepRunId).filter((id) => !t.stepRuns.has(id));
  if (producers.length > 0) {
    throw new StrataError(
      `completing step run "${c.stepRunId}": an artifact names a producer step run that does not exist`,
      {
        code: 'unknown_step_run',
        field: 'artifacts.producerStepRunId',
        value: producers,
        fix: 'set producerStepRunId of each new artifact to the completing step run',
      },
    );
  }
  const eventKeys = new Set<string>();
  for (const e of c.events) {
    const k = key(c.stepRunId, e.type, e.name, e.position);
    if (t.events.has(k) || eventKeys.has(k)) throw duplicate(c);
    eventKeys.add(k);
  }
  return () => {
    for (const a of c.artifacts) t.artifacts.set(a.id, copyArtifact(a));
    for (const e of c.events) {
      t.events.set(key(c.stepRunId, e.type, e.name, e.position), { ...e, stepRunId: c.stepRunId });
    }
    upsertMetadata(t, c.metadata);
  };
}

function duplicate(c: StepCompletion): StrataError {
  return new StrataError(
    `completing step run "${c.stepRunId}": an artifact id or an event (type, name, position) is already recorded`,
    {
      code: 'duplicate_id',
      field: 'artifacts',
      value: c.artifacts.map((a) => a.id),
      fix: 'complete a step run once; give new artifacts new ids and each event a distinct (type, name, position)',
    },
  );
}

/** Artifacts, lineage, logs and metadata entries of the in-memory MetadataStore. */
export class MemoryLineageStore {
  constructor(
    private readonly t: MemoryTables,
    private readonly toStepRun: (id: string) => StepRunRecord,
  ) {}

  async getArtifact(id: string): Promise<ArtifactRecord | undefined> {
    const a = this.t.artifacts.get(id);
    return a && copyArtifact(a);
  }

  async listArtifacts(query: ArtifactQuery = {}): Promise<ArtifactRecord[]> {
    const rows = [...this.t.artifacts.values()]
      .filter(
        (a) =>
          (query.sha256 === undefined || a.sha256 === query.sha256) &&
          (query.kind === undefined || a.kind === query.kind),
      )
      .sort(orderBy([(a) => a.createdAt, 'desc'], [(a) => a.id, 'desc']));
    return rows.slice(0, query.limit ?? rows.length).map(copyArtifact);
  }

  async stepRunEvents(stepRunId: string): Promise<(EventRecord & { artifact: ArtifactRecord })[]> {
    return eventsWithArtifacts(this.t, stepRunId);
  }

  async outputEventsOf(
    stepRunIds: readonly string[],
  ): Promise<Map<string, (EventRecord & { artifact: ArtifactRecord })[]>> {
    const found = new Map<string, (EventRecord & { artifact: ArtifactRecord })[]>();
    for (const id of new Set(stepRunIds)) {
      const events = eventsWithArtifacts(this.t, id, 'output');
      if (events.length > 0) found.set(id, events);
    }
    return found;
  }

  async lineage(artifactId: string): Promise<ArtifactLineage | undefined> {
    const artifact = this.t.artifacts.get(artifactId);
    if (!artifact) return undefined;
    const events = [...this.t.events.values()]
      .filter((e) => e.artifactId === artifactId)
      .map((e) => ({ event: e, step: this.t.stepRuns.get(e.stepRunId)! }))
      .sort(
        orderBy(
          (r) => r.step.createdAt,
          (r) => r.step.id,
          (r) => r.event.name,
          (r) => r.event.position,
        ),
      );
    const producers = new Map<string, StepRunRecord>();
    const consumers: { stepRun: StepRunRecord; name: string }[] = [];
    for (const { event, step } of events) {
      if (event.type === 'output') {
        if (!producers.has(step.id)) producers.set(step.id, this.toStepRun(step.id));
      } else {
        consumers.push({ stepRun: this.toStepRun(step.id), name: event.name });
      }
    }
    return { artifact: copyArtifact(artifact), producers: [...producers.values()], consumers };
  }

  async appendLogs(lines: readonly LogLine[]): Promise<void> {
    const unknown = [...new Set(lines.map((l) => l.stepRunId))].filter((id) => !this.t.stepRuns.has(id));
    if (unknown.length > 0) {
      throw new StrataError(
        `cannot append logs: step run ${unknown.map((id) => `"${id}"`).join(', ')} not found`,
        {
          code: 'unknown_step_run',
          field: 'stepRunId',
          value: unknown.length === 1 ? unknown[0] : unknown,
          fix: 'append logs only for step runs that were created (createRun / addStepRuns)',
        },
      );
    }
    // A line already stored (same step run and seq) is skipped, so a retry is harmless.
    for (const l of lines) {
      const k = key(l.stepRunId, l.seq);
      if (!this.t.logs.has(k)) this.t.logs.set(k, { ...l });
    }
  }

  async readLogs(query: {
    stepRunId?: string;
    runId?: string;
    afterSeq?: number;
    level?: LogLevel;
    limit?: number;
  }): Promise<LogLine[]> {
    let belongs: (line: LogLine) => boolean;
    if (query.stepRunId !== undefined) {
      const id = query.stepRunId;
      belongs = (l) => l.stepRunId === id;
    } else if (query.runId !== undefined) {
      const runId = query.runId;
      belongs = (l) => this.t.stepRuns.get(l.stepRunId)?.runId === runId;
    } else {
      throw new StrataError('readLogs needs a stepRunId or a runId', {
        code: 'invalid_query',
        field: 'stepRunId',
        value: undefined,
        fix: 'pass { stepRunId } for one step or { runId } for every step of a run',
      });
    }
    const lines = [...this.t.logs.values()]
      .filter(
        (l) =>
          belongs(l) &&
          (query.afterSeq === undefined || l.seq > query.afterSeq) &&
          (query.level === undefined || l.level === query.level),
      )
      .sort(
        orderBy(
          (l) => l.at,
          (l) => l.seq,
          (l) => l.stepRunId,
        ),
      );
    return lines.slice(0, query.limit ?? lines.length).map((l) => ({ ...l }));
  }

  async addMetadata(entries: readonly Omit<MetadataEntry, 'createdAt'>[]): Promise<void> {
    upsertMetadata(this.t, entries);
  }

  async getMetadata(ownerType: MetadataOwner, ownerId: string): Promise<Record<string, JsonValue>> {
    const prefix = key(ownerType, ownerId, '');
    const keys = [...this.t.metadata.keys()].filter((k) => k.startsWith(prefix)).sort();
    const out: Record<string, JsonValue> = {};
    for (const k of keys) out[k.slice(prefix.length)] = json(this.t.metadata.get(k)!.value);
    return out;
  }
}
