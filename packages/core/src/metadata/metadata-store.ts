import type {
  ArtifactRecord,
  EventRecord,
  JsonValue,
  LogLevel,
  LogLine,
  MetadataEntry,
  MetadataOwner,
  RunRecord,
  RunStatus,
  SnapshotRecord,
  StepRunRecord,
  StepStatus,
} from './records.js';

export type RunPatch = Partial<Pick<RunRecord, 'status' | 'startedAt' | 'endedAt' | 'error'>>;
export type StepRunPatch = Partial<
  Pick<
    StepRunRecord,
    | 'status'
    | 'cacheKey'
    | 'cacheParts'
    | 'cacheReason'
    | 'cachedFrom'
    | 'attempt'
    | 'startedAt'
    | 'endedAt'
    | 'error'
    | 'errorStack'
  >
>;

/** Everything a finished step produced, written in one transaction. */
export interface StepCompletion {
  readonly stepRunId: string;
  /** The row's new status: usually completed or cached; `running` when a mapped step records its items. */
  readonly status: StepStatus;
  readonly patch: StepRunPatch;
  /** New artifact rows (empty for a cache hit, which points at existing artifacts). */
  readonly artifacts: readonly ArtifactRecord[];
  /** Input and output events of this step run. */
  readonly events: readonly Omit<EventRecord, 'stepRunId'>[];
  readonly metadata: readonly Omit<MetadataEntry, 'createdAt'>[];
}

/**
 * A cache hit: the step run it reuses, named (its row is a getStepRun away; a hit needs only these,
 * and reading the whole row with its cache parts and code identity cost a cached step more than its
 * look-up), with its outputs.
 */
export interface CachedStep {
  readonly stepRun: Pick<StepRunRecord, 'id' | 'runId' | 'nodeId'>;
  readonly outputs: readonly {
    readonly name: string;
    readonly position: number;
    readonly artifact: ArtifactRecord;
  }[];
}

/** The finished step rows of one earlier run of a pipeline, by node (see `previousRunSteps`). */
export interface PreviousRunSteps {
  readonly runId: string;
  /** node id -> its newest row that `previousStepRun` would accept (map instances: the last one). */
  readonly steps: ReadonlyMap<string, StepRunRecord>;
}

/**
 * What the run loop, map steps and progress views need of a run's step rows. Read without the
 * stored cache parts, which are parsed (zod) for every row of a listStepRuns: the loop reads a run's
 * rows several times, and at thousands of steps that parse was a sizeable part of each step's cost.
 */
export type StepRunStatus = Pick<
  StepRunRecord,
  'id' | 'nodeId' | 'mapIndex' | 'status' | 'error' | 'cacheReason' | 'endedAt'
>;

/** What stepStatusesSince returns: the changed rows, and where the next call starts. */
export interface StepStatusesSince {
  readonly rows: StepRunStatus[];
  readonly cursor: string;
}

export interface RunQuery {
  readonly pipelineName?: string;
  readonly status?: RunStatus;
  readonly limit?: number;
  /** Only runs created strictly before this timestamp (keyset pagination). */
  readonly before?: number;
}

export interface ArtifactQuery {
  readonly limit?: number;
  readonly sha256?: string;
  readonly kind?: string;
}

export interface ArtifactLineage {
  readonly artifact: ArtifactRecord;
  /** The step run that produced it (and reused ones that re-published it from cache). */
  readonly producers: readonly StepRunRecord[];
  /** Step runs that read it, with the input name. */
  readonly consumers: readonly { readonly stepRun: StepRunRecord; readonly name: string }[];
}

/**
 * The lineage store: what every orchestrator and the StepRunner write, and what the Client reads.
 * Implementations must make multi-row writes atomic (a run is never visible without its step rows;
 * a step's artifacts and events land together) and must tolerate several processes writing at once.
 */
export interface MetadataStore {
  /** Identity shown to users and used by stack validators, e.g. `sqlite:/abs/.strata/strata.db`. */
  readonly url: string;
  /** True when processes on other machines can reach it (PostgreSQL), false for an embedded file. */
  readonly shared: boolean;

  saveSnapshot(snapshot: SnapshotRecord): Promise<void>;
  getSnapshot(id: string): Promise<SnapshotRecord | undefined>;

  /** Inserts the run and all of its initial step rows in one transaction. */
  createRun(run: RunRecord, steps: readonly StepRunRecord[]): Promise<void>;
  getRun(id: string): Promise<RunRecord | undefined>;
  listRuns(query?: RunQuery): Promise<RunRecord[]>;
  updateRun(id: string, patch: RunPatch): Promise<void>;
  listPipelines(): Promise<{ name: string; runCount: number; lastRunAt: number | null }[]>;

  /** Adds step rows to an existing run (the instances of a mapped step once its list is known). */
  addStepRuns(steps: readonly StepRunRecord[]): Promise<void>;
  getStepRun(id: string): Promise<StepRunRecord | undefined>;
  listStepRuns(runId: string): Promise<StepRunRecord[]>;
  /** The same rows as listStepRuns, in the same order, with only their status fields (StepRunStatus). */
  listStepStatuses(runId: string): Promise<StepRunStatus[]>;
  /**
   * For a view that polls a run: the step rows inserted, or whose status changed, after `cursor` (a
   * cursor this method returned; undefined: every row of the run), in listStepStatuses' order, and the
   * cursor for the next call. A row may come back again, but none that changed after `cursor` is left
   * out. A store that keeps no change feed omits it (read listStepStatuses), or returns every row.
   */
  stepStatusesSince?(runId: string, cursor: string | undefined): Promise<StepStatusesSince>;
  updateStepRun(id: string, patch: StepRunPatch): Promise<void>;
  /**
   * Records a finished step (its row, artifacts, events and metadata) in one commit, and resolves once
   * that commit is durable. A store may group completions that arrive close together into one commit
   * (docs/reliability.md, "When a step counts as completed"): each still resolves only after its own rows are committed.
   */
  completeStepRun(completion: StepCompletion): Promise<void>;
  /**
   * Commits the completions this store is holding for a group commit, if the oldest of them has waited
   * at least `olderThanMs` (0: any). The runner calls it before a step body that may run long, so a
   * finished step is never left uncommitted behind it. Stores that commit each completion at once omit it.
   */
  flushCompletions?(olderThanMs: number): Promise<void>;

  /** The newest completed (not cached) step run with this cache key created at or after `notBefore`. */
  findCached(cacheKey: string, notBefore?: number): Promise<CachedStep | undefined>;
  /** The newest finished step run of the same pipeline node before this one, to explain a cache miss. */
  previousStepRun(
    pipelineName: string,
    nodeId: string,
    excludeRunId: string,
  ): Promise<StepRunRecord | undefined>;

  /**
   * The rows `previousStepRun` accepts, for every node at once, from the pipeline's newest run other
   * than `excludeRunId`; undefined when the pipeline has no other run. Explains the misses of a whole
   * run in one query: a node that is not in `steps` is asked with `previousStepRun`.
   */
  previousRunSteps(pipelineName: string, excludeRunId: string): Promise<PreviousRunSteps | undefined>;

  getArtifact(id: string): Promise<ArtifactRecord | undefined>;
  listArtifacts(query?: ArtifactQuery): Promise<ArtifactRecord[]>;
  /** Input and output events of a step run, each with its artifact. */
  stepRunEvents(stepRunId: string): Promise<(EventRecord & { artifact: ArtifactRecord })[]>;
  /**
   * The output events of several step runs at once, each with its artifact, by step run id (ids
   * without outputs are absent), in stepRunEvents' order: what a progress view prints per step.
   */
  outputEventsOf(
    stepRunIds: readonly string[],
  ): Promise<Map<string, (EventRecord & { artifact: ArtifactRecord })[]>>;
  lineage(artifactId: string): Promise<ArtifactLineage | undefined>;

  appendLogs(lines: readonly LogLine[]): Promise<void>;
  /**
   * Log lines of one step run (or all step runs of a run) with seq greater than `afterSeq`; with
   * `level`, only the lines of that level (the limit then counts those).
   */
  readLogs(query: {
    stepRunId?: string;
    runId?: string;
    afterSeq?: number;
    level?: LogLevel;
    limit?: number;
  }): Promise<LogLine[]>;

  addMetadata(entries: readonly Omit<MetadataEntry, 'createdAt'>[]): Promise<void>;
  getMetadata(ownerType: MetadataOwner, ownerId: string): Promise<Record<string, JsonValue>>;

  close(): Promise<void>;
}
