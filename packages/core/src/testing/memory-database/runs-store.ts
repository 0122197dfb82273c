import { StrataError } from '../../errors/strata-error.js';
import type {
  CachedStep,
  PreviousRunSteps,
  RunPatch,
  RunQuery,
  StepCompletion,
  StepRunPatch,
  StepRunStatus,
  StepStatusesSince,
} from '../../metadata/metadata-store.js';
import type { RunRecord, SnapshotRecord, StepRunRecord } from '../../metadata/records.js';
import { parseCacheParts, storeCacheParts } from '../../stored/cache-parts.js';
import { parseSnapshotBody, storeSnapshotBody } from '../../stored/snapshot-body.js';
import { eventsWithArtifacts, writeLineage } from './lineage-store.js';
import { json, key, type MemoryTables, orderBy, type StepRow } from './tables.js';

/** Statuses `previousStepRun` explains a miss against (the SQL stores' filter). */
const EXPLAINABLE = new Set(['completed', 'cached', 'failed']);

export function toStepRun(row: StepRow): StepRunRecord {
  const { createdAt: _, ...record } = row;
  return { ...record, cacheParts: parseCacheParts(json(row.cacheParts), row.id) };
}

function copyRun(run: RunRecord): RunRecord {
  return { ...run, params: json(run.params), environment: json(run.environment) };
}

export function unknownStepRun(id: string): StrataError {
  return new StrataError(`step run "${id}" does not exist`, {
    code: 'unknown_step_run',
    field: 'stepRunId',
    value: id,
    fix: 'create the run and its step rows first (createRun / addStepRuns)',
  });
}

function unknownRun(id: string): StrataError {
  return new StrataError(`run "${id}" does not exist`, {
    code: 'unknown_run',
    field: 'runId',
    value: id,
    fix: 'create the run first (createRun), or check the run id (`strata runs list`)',
  });
}

/** The patch's defined fields over the row (undefined leaves a column as it is, like the SQL update). */
export function patchedStep(row: StepRow, patch: StepRunPatch & { status?: StepRow['status'] }): StepRow {
  const next: Record<string, unknown> = { ...row };
  for (const [field, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    next[field] =
      field === 'cacheParts' ? json(storeCacheParts(value as StepRunRecord['cacheParts'])) : value;
  }
  return next as unknown as StepRow;
}

/**
 * Snapshots, runs, step rows, completions and the cache lookups of the in-memory MetadataStore. Every
 * method checks everything before it writes anything, and writes synchronously: a write is atomic
 * (one event-loop turn), as the SQL stores' transactions are.
 */
export class MemoryRunsStore {
  constructor(private readonly t: MemoryTables) {}

  async saveSnapshot(snapshot: SnapshotRecord): Promise<void> {
    if (this.t.snapshots.has(snapshot.id)) return;
    this.t.snapshots.set(snapshot.id, {
      pipelineName: snapshot.pipelineName,
      body: json(storeSnapshotBody(snapshot.body)),
      createdAt: snapshot.createdAt,
    });
  }

  async getSnapshot(id: string): Promise<SnapshotRecord | undefined> {
    const row = this.t.snapshots.get(id);
    if (!row) return undefined;
    return {
      id,
      pipelineName: row.pipelineName,
      body: parseSnapshotBody(json(row.body), id),
      createdAt: row.createdAt,
    };
  }

  async createRun(run: RunRecord, steps: readonly StepRunRecord[]): Promise<void> {
    const stray = steps.find((s) => s.runId !== run.id);
    if (stray) {
      throw new StrataError(
        `step run "${stray.id}" belongs to run "${stray.runId}", not to run "${run.id}"`,
        {
          code: 'invalid_step_run',
          field: 'runId',
          value: stray.runId,
          fix: 'set runId of every step row to the id of the run it is created with',
        },
      );
    }
    if (this.t.runs.has(run.id) || this.#duplicateSteps(steps)) {
      throw new StrataError(`run "${run.id}" or one of its ${steps.length} step runs already exists`, {
        code: 'duplicate_id',
        field: 'id',
        value: run.id,
        fix: 'give the run and each step run a new unique id (and one row per node and map index)',
      });
    }
    this.t.runs.set(run.id, copyRun(run));
    this.#insertSteps(steps);
  }

  async addStepRuns(steps: readonly StepRunRecord[]): Promise<void> {
    if (steps.length === 0) return;
    const runIds = [...new Set(steps.map((s) => s.runId))];
    if (runIds.some((id) => !this.t.runs.has(id))) {
      throw new StrataError(`cannot add step runs to run ${runIds.map((id) => `"${id}"`).join(', ')}`, {
        code: 'unknown_run',
        field: 'runId',
        value: runIds.length === 1 ? runIds[0] : runIds,
        fix: 'create the run first (createRun)',
      });
    }
    if (this.#duplicateSteps(steps)) {
      throw new StrataError('one of the step runs to add already exists', {
        code: 'duplicate_id',
        field: 'id',
        value: steps.map((s) => s.id),
        fix: 'give each step run a new unique id (and one row per node and map index)',
      });
    }
    this.#insertSteps(steps);
  }

  /** A step id, or a (run, node, map index), already stored or repeated in `steps` (the unique keys). */
  #duplicateSteps(steps: readonly StepRunRecord[]): boolean {
    const ids = new Set<string>();
    const instances = new Set<string>();
    for (const row of this.t.stepRuns.values()) instances.add(key(row.runId, row.nodeId, row.mapIndex));
    for (const s of steps) {
      const instance = key(s.runId, s.nodeId, s.mapIndex);
      if (this.t.stepRuns.has(s.id) || ids.has(s.id) || instances.has(instance)) return true;
      ids.add(s.id);
      instances.add(instance);
    }
    return false;
  }

  #insertSteps(steps: readonly StepRunRecord[]): void {
    const now = Date.now();
    for (const s of steps) {
      this.t.stepRuns.set(s.id, { ...s, cacheParts: json(storeCacheParts(s.cacheParts)), createdAt: now });
    }
  }

  async getRun(id: string): Promise<RunRecord | undefined> {
    const run = this.t.runs.get(id);
    return run && copyRun(run);
  }

  async listRuns(query: RunQuery = {}): Promise<RunRecord[]> {
    const runs = [...this.t.runs.values()]
      .filter(
        (r) =>
          (query.pipelineName === undefined || r.pipelineName === query.pipelineName) &&
          (query.status === undefined || r.status === query.status) &&
          (query.before === undefined || r.createdAt < query.before),
      )
      .sort(orderBy([(r) => r.createdAt, 'desc'], [(r) => r.id, 'desc']));
    return runs.slice(0, query.limit ?? runs.length).map(copyRun);
  }

  async updateRun(id: string, patch: RunPatch): Promise<void> {
    const run = this.t.runs.get(id);
    if (!run) throw unknownRun(id);
    const next: Record<string, unknown> = { ...run };
    for (const [field, value] of Object.entries(patch)) if (value !== undefined) next[field] = value;
    this.t.runs.set(id, next as unknown as RunRecord);
  }

  async listPipelines(): Promise<{ name: string; runCount: number; lastRunAt: number | null }[]> {
    const byName = new Map<string, { name: string; runCount: number; lastRunAt: number | null }>();
    for (const run of this.t.runs.values()) {
      const entry = byName.get(run.pipelineName) ?? { name: run.pipelineName, runCount: 0, lastRunAt: null };
      entry.runCount += 1;
      entry.lastRunAt = Math.max(entry.lastRunAt ?? run.createdAt, run.createdAt);
      byName.set(run.pipelineName, entry);
    }
    return [...byName.values()].sort(orderBy((p) => p.name));
  }

  async getStepRun(id: string): Promise<StepRunRecord | undefined> {
    const row = this.t.stepRuns.get(id);
    return row && toStepRun(row);
  }

  async listStepRuns(runId: string): Promise<StepRunRecord[]> {
    return this.#rowsOf(runId).map(toStepRun);
  }

  async listStepStatuses(runId: string): Promise<StepRunStatus[]> {
    return this.#rowsOf(runId).map(({ id, nodeId, mapIndex, status, error, cacheReason, endedAt }) => ({
      id,
      nodeId,
      mapIndex,
      status,
      error,
      cacheReason,
      endedAt,
    }));
  }

  /** No change feed here: every row, each time (the contract allows it). */
  async stepStatusesSince(runId: string, _cursor: string | undefined): Promise<StepStatusesSince> {
    return { rows: await this.listStepStatuses(runId), cursor: '' };
  }

  #rowsOf(runId: string): StepRow[] {
    return [...this.t.stepRuns.values()]
      .filter((s) => s.runId === runId)
      .sort(
        orderBy(
          (s) => s.createdAt,
          (s) => s.nodeId,
          (s) => s.mapIndex,
        ),
      );
  }

  async updateStepRun(id: string, patch: StepRunPatch): Promise<void> {
    const row = this.t.stepRuns.get(id);
    if (!row) throw unknownStepRun(id);
    this.t.stepRuns.set(id, patchedStep(row, patch));
  }

  async completeStepRun(completion: StepCompletion): Promise<void> {
    const row = this.t.stepRuns.get(completion.stepRunId);
    if (!row) throw unknownStepRun(completion.stepRunId);
    // Checks every row first (writeLineage throws before writing), then the step row: all or nothing.
    const write = writeLineage(this.t, completion);
    write();
    this.t.stepRuns.set(row.id, patchedStep(row, { ...completion.patch, status: completion.status }));
  }

  async findCached(cacheKey: string, notBefore?: number): Promise<CachedStep | undefined> {
    const endedOrCreated = (s: StepRow) => s.endedAt ?? s.createdAt;
    const [row] = [...this.t.stepRuns.values()]
      .filter(
        (s) =>
          s.cacheKey === cacheKey &&
          s.status === 'completed' &&
          (notBefore === undefined || endedOrCreated(s) >= notBefore),
      )
      .sort(orderBy([endedOrCreated, 'desc'], [(s) => s.id, 'desc']));
    if (!row) return undefined;
    const outputs = eventsWithArtifacts(this.t, row.id, 'output');
    return {
      stepRun: { id: row.id, runId: row.runId, nodeId: row.nodeId },
      outputs: outputs.map((e) => ({ name: e.name, position: e.position, artifact: e.artifact })),
    };
  }

  async previousStepRun(
    pipelineName: string,
    nodeId: string,
    excludeRunId: string,
  ): Promise<StepRunRecord | undefined> {
    const [row] = [...this.t.stepRuns.values()]
      .filter(
        (s) =>
          s.nodeId === nodeId &&
          s.runId !== excludeRunId &&
          this.t.runs.get(s.runId)?.pipelineName === pipelineName &&
          this.#explainable(s),
      )
      .sort(
        orderBy(
          [(s) => this.t.runs.get(s.runId)!.createdAt, 'desc'],
          [(s) => s.createdAt, 'desc'],
          [(s) => s.mapIndex, 'desc'],
        ),
      );
    return row && toStepRun(row);
  }

  async previousRunSteps(pipelineName: string, excludeRunId: string): Promise<PreviousRunSteps | undefined> {
    const [run] = [...this.t.runs.values()]
      .filter((r) => r.pipelineName === pipelineName && r.id !== excludeRunId)
      .sort(orderBy([(r) => r.createdAt, 'desc']));
    if (!run) return undefined;
    const rows = [...this.t.stepRuns.values()]
      .filter((s) => s.runId === run.id && this.#explainable(s))
      .sort(orderBy([(s) => s.createdAt, 'desc'], [(s) => s.mapIndex, 'desc']));
    const steps = new Map<string, StepRunRecord>();
    for (const row of rows) if (!steps.has(row.nodeId)) steps.set(row.nodeId, toStepRun(row));
    return { runId: run.id, steps };
  }

  #explainable(s: StepRow): boolean {
    return EXPLAINABLE.has(s.status) && s.cacheParts !== null;
  }
}
