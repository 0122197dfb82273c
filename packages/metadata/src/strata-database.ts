import type {
  ArtifactRecord,
  EventRecord,
  JsonValue,
  LogLine,
  MetadataEntry,
  MetadataOwner,
  RememberedDigest,
  RunRecord,
  SnapshotRecord,
  StepRunRecord,
} from '@strata/core';
import type {
  AgentRecord,
  AliasChange,
  ArtifactLineage,
  ArtifactQuery,
  CachedStep,
  ComponentRecord,
  FiringClaim,
  FiringQuery,
  FiringRecord,
  FiringStatus,
  FiringWithRun,
  ModelVersionRecord,
  OwnerRecord,
  PreviousRunSteps,
  RunPatch,
  RunQuery,
  ServingWindowRecord,
  StackRecord,
  StepCompletion,
  StepRunPatch,
  StepRunStatus,
  StepStatusesSince,
  StrataDatabase,
  TriggerQuery,
  TriggerRecord,
  TriggerStamp,
} from '@strata/core/plugin';
import { ArtifactsRepository } from './repositories/artifacts.js';
import { ComponentsRepository } from './repositories/components.js';
import type { RepositoryContext } from './repositories/context.js';
import { FileDigestsRepository } from './repositories/file-digests.js';
import { LeasesRepository } from './repositories/leases.js';
import { type LogQuery, LogsRepository } from './repositories/logs.js';
import { MetadataRepository } from './repositories/metadata.js';
import {
  ModelRegistryRepository,
  type ModelSummary,
  type ModelVersionInput,
} from './repositories/model-registry.js';
import { OwnersRepository } from './repositories/owners.js';
import { RunsRepository } from './repositories/runs.js';
import { ServingWindowsRepository } from './repositories/serving-windows.js';
import { SnapshotsRepository } from './repositories/snapshots.js';
import { StacksRepository } from './repositories/stacks.js';
import { StepCompletionRepository } from './repositories/step-completion.js';
import { StepRunsRepository } from './repositories/step-runs.js';
import { TriggersRepository } from './repositories/triggers.js';
import type { ChangeListener } from './server-store/server-store.js';

export interface SqlStrataDatabaseInit extends RepositoryContext {
  /** Redacted: never carries a password. */
  readonly url: string;
  readonly shared: boolean;
  /** PostgreSQL: LISTEN for the change feed's NOTIFY (see migration 0007). */
  readonly listenForChanges?: ChangeListener;
}

/** The StrataDatabase over one Kysely instance: each concern is a repository, the same for both dialects. */
export class SqlStrataDatabase implements StrataDatabase {
  readonly url: string;
  readonly shared: boolean;
  readonly dialect: 'sqlite' | 'postgres';
  readonly #ctx: RepositoryContext;
  readonly #snapshots: SnapshotsRepository;
  readonly #runs: RunsRepository;
  readonly #stepRuns: StepRunsRepository;
  readonly #completion: StepCompletionRepository;
  readonly #artifacts: ArtifactsRepository;
  readonly #logs: LogsRepository;
  readonly #metadata: MetadataRepository;
  readonly #components: ComponentsRepository;
  readonly #stacks: StacksRepository;
  readonly #models: ModelRegistryRepository;
  readonly #triggers: TriggersRepository;
  readonly #leases: LeasesRepository;
  readonly #windows: ServingWindowsRepository;
  readonly #owners: OwnersRepository;
  readonly #fileDigests: FileDigestsRepository;
  #closed: Promise<void> | undefined;

  /** Wakes the caller when the change feed may have grown; undefined where there is no push (SQLite). */
  readonly listenForChanges: ChangeListener | undefined;

  constructor(init: SqlStrataDatabaseInit) {
    this.listenForChanges = init.listenForChanges;
    this.url = init.url;
    this.shared = init.shared;
    this.dialect = init.traits.dialect;
    this.#ctx = {
      db: init.db,
      traits: init.traits,
      ...(init.writeNow ? { writeNow: init.writeNow } : {}),
      ...(init.readNow ? { readNow: init.readNow } : {}),
    };
    this.#snapshots = new SnapshotsRepository(this.#ctx);
    this.#runs = new RunsRepository(this.#ctx);
    this.#stepRuns = new StepRunsRepository(this.#ctx);
    this.#completion = new StepCompletionRepository(this.#ctx);
    this.#artifacts = new ArtifactsRepository(this.#ctx);
    this.#logs = new LogsRepository(this.#ctx);
    this.#metadata = new MetadataRepository(this.#ctx);
    this.#components = new ComponentsRepository(this.#ctx);
    this.#stacks = new StacksRepository(this.#ctx);
    this.#models = new ModelRegistryRepository(this.#ctx);
    this.#triggers = new TriggersRepository(this.#ctx);
    this.#leases = new LeasesRepository(this.#ctx);
    this.#windows = new ServingWindowsRepository(this.#ctx);
    this.#owners = new OwnersRepository(this.#ctx);
    this.#fileDigests = new FileDigestsRepository(this.#ctx);
  }

  /** The repositories' context, for migrations and tests in this package. */
  get context(): RepositoryContext {
    return this.#ctx;
  }

  // Liveness: owners, heartbeats, crashed runs
  setOwner(record: OwnerRecord): Promise<void> {
    return this.#owners.setOwner(record);
  }
  heartbeat(runIds: readonly string[], at: number): Promise<void> {
    return this.#owners.heartbeat(runIds, at);
  }
  owners(runIds: readonly string[]): Promise<OwnerRecord[]> {
    return this.#owners.owners(runIds);
  }
  markCrashed(runId: string, reason: string, at: number): Promise<boolean> {
    return this.#owners.markCrashed(runId, reason, at);
  }
  closeActiveSteps(
    runId: string,
    status: 'cancelled' | 'crashed',
    reason: string,
    at: number,
  ): Promise<number> {
    return this.#owners.closeActiveSteps(runId, status, reason, at);
  }

  // The local-source fast path (migration 0004)
  rememberedDigest(key: string): Promise<RememberedDigest | undefined> {
    return this.#fileDigests.rememberedDigest(key);
  }
  rememberDigest(key: string, value: RememberedDigest): Promise<void> {
    return this.#fileDigests.rememberDigest(key, value);
  }

  // Snapshots and runs
  saveSnapshot(snapshot: SnapshotRecord): Promise<void> {
    return this.#snapshots.saveSnapshot(snapshot);
  }
  getSnapshot(id: string): Promise<SnapshotRecord | undefined> {
    return this.#snapshots.getSnapshot(id);
  }
  createRun(run: RunRecord, steps: readonly StepRunRecord[]): Promise<void> {
    return this.#runs.createRun(run, steps);
  }
  getRun(id: string): Promise<RunRecord | undefined> {
    return this.#runs.getRun(id);
  }
  listRuns(query?: RunQuery): Promise<RunRecord[]> {
    return this.#runs.listRuns(query);
  }
  updateRun(id: string, patch: RunPatch): Promise<void> {
    return this.#runs.updateRun(id, patch);
  }
  listPipelines(): Promise<{ name: string; runCount: number; lastRunAt: number | null }[]> {
    return this.#runs.listPipelines();
  }

  // Step runs
  addStepRuns(steps: readonly StepRunRecord[]): Promise<void> {
    return this.#runs.addStepRuns(steps);
  }
  getStepRun(id: string): Promise<StepRunRecord | undefined> {
    return this.#stepRuns.getStepRun(id);
  }
  listStepRuns(runId: string): Promise<StepRunRecord[]> {
    return this.#stepRuns.listStepRuns(runId);
  }
  listStepStatuses(runId: string): Promise<StepRunStatus[]> {
    return this.#stepRuns.listStepStatuses(runId);
  }
  stepStatusesSince(runId: string, cursor: string | undefined): Promise<StepStatusesSince> {
    return this.#stepRuns.stepStatusesSince(runId, cursor);
  }
  updateStepRun(id: string, patch: StepRunPatch): Promise<void> {
    return this.#stepRuns.updateStepRun(id, patch);
  }
  completeStepRun(completion: StepCompletion): Promise<void> {
    return this.#completion.completeStepRun(completion);
  }
  flushCompletions(olderThanMs: number): Promise<void> {
    return this.#completion.flushCompletions(olderThanMs);
  }
  findCached(cacheKey: string, notBefore?: number): Promise<CachedStep | undefined> {
    return this.#completion.findCached(cacheKey, notBefore);
  }
  previousStepRun(
    pipelineName: string,
    nodeId: string,
    excludeRunId: string,
  ): Promise<StepRunRecord | undefined> {
    return this.#stepRuns.previousStepRun(pipelineName, nodeId, excludeRunId);
  }
  previousRunSteps(pipelineName: string, excludeRunId: string): Promise<PreviousRunSteps | undefined> {
    return this.#stepRuns.previousRunSteps(pipelineName, excludeRunId);
  }

  // Artifacts and lineage
  getArtifact(id: string): Promise<ArtifactRecord | undefined> {
    return this.#artifacts.getArtifact(id);
  }
  listArtifacts(query?: ArtifactQuery): Promise<ArtifactRecord[]> {
    return this.#artifacts.listArtifacts(query);
  }
  stepRunEvents(stepRunId: string): Promise<(EventRecord & { artifact: ArtifactRecord })[]> {
    return this.#artifacts.stepRunEvents(stepRunId);
  }
  outputEventsOf(
    stepRunIds: readonly string[],
  ): Promise<Map<string, (EventRecord & { artifact: ArtifactRecord })[]>> {
    return this.#artifacts.outputEventsOf(stepRunIds);
  }
  lineage(artifactId: string): Promise<ArtifactLineage | undefined> {
    return this.#artifacts.lineage(artifactId);
  }

  // Logs and metadata
  appendLogs(lines: readonly LogLine[]): Promise<void> {
    return this.#logs.appendLogs(lines);
  }
  readLogs(query: LogQuery): Promise<LogLine[]> {
    return this.#logs.readLogs(query);
  }
  addMetadata(entries: readonly Omit<MetadataEntry, 'createdAt'>[]): Promise<void> {
    return this.#metadata.addMetadata(entries);
  }
  getMetadata(ownerType: MetadataOwner, ownerId: string): Promise<Record<string, JsonValue>> {
    return this.#metadata.getMetadata(ownerType, ownerId);
  }

  // Components and stacks
  listComponents(type?: string): Promise<ComponentRecord[]> {
    return this.#components.listComponents(type);
  }
  getComponent(type: string, name: string): Promise<ComponentRecord | undefined> {
    return this.#components.getComponent(type, name);
  }
  createComponent(component: ComponentRecord): Promise<void> {
    return this.#components.createComponent(component);
  }
  updateComponent(type: string, name: string, patch: { flavor?: string; config?: JsonValue }): Promise<void> {
    return this.#components.updateComponent(type, name, patch);
  }
  renameComponent(type: string, name: string, newName: string): Promise<void> {
    return this.#components.renameComponent(type, name, newName);
  }
  deleteComponent(type: string, name: string): Promise<void> {
    return this.#components.deleteComponent(type, name);
  }
  listStacks(): Promise<StackRecord[]> {
    return this.#stacks.listStacks();
  }
  getStack(name: string): Promise<StackRecord | undefined> {
    return this.#stacks.getStack(name);
  }
  createStack(stack: StackRecord): Promise<void> {
    return this.#stacks.createStack(stack);
  }
  updateStack(name: string, components: Readonly<Record<string, string>>): Promise<void> {
    return this.#stacks.updateStack(name, components);
  }
  renameStack(name: string, newName: string): Promise<void> {
    return this.#stacks.renameStack(name, newName);
  }
  deleteStack(name: string): Promise<void> {
    return this.#stacks.deleteStack(name);
  }

  // Model registry
  registerModelVersion(input: ModelVersionInput): Promise<ModelVersionRecord> {
    return this.#models.registerModelVersion(input);
  }
  listModels(): Promise<ModelSummary[]> {
    return this.#models.listModels();
  }
  listModelVersions(model: string): Promise<ModelVersionRecord[]> {
    return this.#models.listModelVersions(model);
  }
  getModelVersion(model: string, version: number): Promise<ModelVersionRecord | undefined> {
    return this.#models.getModelVersion(model, version);
  }
  getAlias(model: string, alias: string): Promise<number | undefined> {
    return this.#models.getAlias(model, alias);
  }
  setAlias(change: Omit<AliasChange, 'previousVersion' | 'at'>): Promise<AliasChange> {
    return this.#models.setAlias(change);
  }
  aliasHistory(model: string, alias?: string): Promise<AliasChange[]> {
    return this.#models.aliasHistory(model, alias);
  }

  // Schedules, triggers, firings, leases, agents, serving windows
  createTrigger(trigger: TriggerRecord): Promise<void> {
    return this.#triggers.createTrigger(trigger);
  }
  getTrigger(name: string): Promise<TriggerRecord | undefined> {
    return this.#triggers.getTrigger(name);
  }
  listTriggers(query?: TriggerQuery): Promise<TriggerRecord[]> {
    return this.#triggers.listTriggers(query);
  }
  listTriggerStamps(): Promise<TriggerStamp[]> {
    return this.#triggers.listTriggerStamps();
  }
  setTriggerPaused(name: string, paused: boolean): Promise<void> {
    return this.#triggers.setTriggerPaused(name, paused);
  }
  setTriggerCursor(name: string, cursor: JsonValue): Promise<void> {
    return this.#triggers.setTriggerCursor(name, cursor);
  }
  deleteTrigger(name: string): Promise<void> {
    return this.#triggers.deleteTrigger(name);
  }
  claimFiring(claim: FiringClaim): Promise<boolean> {
    return this.#triggers.claimFiring(claim);
  }
  updateFiring(
    id: string,
    patch: { status: FiringStatus; runId?: string | null; error?: string | null },
  ): Promise<void> {
    return this.#triggers.updateFiring(id, patch);
  }
  getFiring(id: string): Promise<FiringRecord | undefined> {
    return this.#triggers.getFiring(id);
  }
  listFirings(query?: FiringQuery): Promise<FiringWithRun[]> {
    return this.#triggers.listFirings(query);
  }
  acquireLease(name: string, holder: string, ttlMs: number): Promise<boolean> {
    return this.#leases.acquireLease(name, holder, ttlMs);
  }
  releaseLease(name: string, holder: string): Promise<void> {
    return this.#leases.releaseLease(name, holder);
  }
  leaseHolder(name: string): Promise<{ holder: string; expiresAt: number } | undefined> {
    return this.#leases.leaseHolder(name);
  }
  saveAgent(agent: AgentRecord): Promise<void> {
    return this.#leases.saveAgent(agent);
  }
  listAgents(): Promise<AgentRecord[]> {
    return this.#leases.listAgents();
  }
  mergeServingWindow(
    key: Pick<ServingWindowRecord, 'model' | 'version' | 'windowStart' | 'kind'>,
    merge: (previous: ServingWindowRecord | undefined) => Pick<ServingWindowRecord, 'count' | 'stats'>,
  ): Promise<void> {
    return this.#windows.mergeServingWindow(key, merge);
  }
  servingWindows(query: {
    model: string;
    version?: number;
    kind?: ServingWindowRecord['kind'];
    since?: number;
  }): Promise<ServingWindowRecord[]> {
    return this.#windows.servingWindows(query);
  }
  pruneServingWindows(before: number): Promise<number> {
    return this.#windows.pruneServingWindows(before);
  }

  /** Closes the connection (pool); calling it again is harmless. */
  close(): Promise<void> {
    // Completions waiting for a group commit are committed first (their callers are waiting on them).
    this.#closed ??= this.#completion.flushCompletions(0).then(() => this.#ctx.db.destroy());
    return this.#closed;
  }
}
