/**
 * The tables as Kysely sees them: snake_case columns, epoch-millisecond timestamps as numbers (PostgreSQL
 * `bigint` is parsed to a number by the driver), JSON as text (`null` JSON is SQL NULL). One schema for
 * both dialects: `src/migrations/` creates exactly these columns, and the schema contract checks it
 * on SQLite and PostgreSQL through `schemaColumns` (columns.ts). Columns holding a closed set of
 * values are typed with core's unions (RunStatus, StepStatus, ...), so rows need no casts.
 */
import type { EventType, LogLevel, MetadataOwner, RunStatus, StepStatus } from '@strata/core';
import type { ComponentType, FiringStatus, OverlapPolicy, TriggerKind } from '@strata/core/plugin';

export interface SchemaVersionTable {
  version: number;
  name: string;
  applied_at: number;
}

export interface SnapshotsTable {
  id: string;
  pipeline_name: string;
  body: string | null;
  created_at: number;
}

/** A step's code identity (cache parts' `files` and `packages`), stored once (migration 0008). */
export interface CodeIdentitiesTable {
  /** The first 32 hex digits of the sha256 of `body`. */
  id: string;
  body: string;
  created_at: number;
}

export interface RunsTable {
  id: string;
  name: string;
  pipeline_name: string;
  snapshot_id: string;
  status: RunStatus;
  stack_name: string;
  orchestrator: string;
  params: string | null;
  environment: string | null;
  created_at: number;
  started_at: number | null;
  ended_at: number | null;
  error: string | null;
  resumed_from: string | null;
}

export interface StepRunsTable {
  id: string;
  run_id: string;
  node_id: string;
  step_name: string;
  map_index: number;
  status: StepStatus;
  cache_key: string | null;
  cache_parts: string | null;
  cache_reason: string | null;
  cached_from: string | null;
  attempt: number;
  /** When the row was recorded (not part of StepRunRecord); the cache's fallback age. */
  created_at: number;
  started_at: number | null;
  ended_at: number | null;
  error: string | null;
  error_stack: string | null;
}

export interface ArtifactsTable {
  id: string;
  uri: string;
  store_key: string;
  store_identity: string;
  sha256: string;
  size: number;
  kind: string;
  materializer: string;
  materializer_version: number;
  summary: string | null;
  producer_step_run_id: string;
  created_at: number;
}

export interface EventsTable {
  step_run_id: string;
  artifact_id: string;
  type: EventType;
  name: string;
  position: number;
}

export interface MetadataTable {
  owner_type: MetadataOwner;
  owner_id: string;
  key: string;
  value: string | null;
  created_at: number;
}

export interface LogsTable {
  step_run_id: string;
  seq: number;
  at: number;
  level: LogLevel;
  message: string;
}

export interface ComponentsTable {
  type: ComponentType;
  name: string;
  flavor: string;
  config: string | null;
  created_at: number;
  updated_at: number;
}

export interface StacksTable {
  name: string;
  created_at: number;
  updated_at: number;
}

export interface StackComponentsTable {
  stack_name: string;
  component_type: ComponentType;
  component_name: string;
}

export interface ModelsTable {
  name: string;
  description: string | null;
  /** The last version number handed out; bumped under the row lock to number versions atomically. */
  latest_version: number;
  created_at: number;
}

export interface ModelVersionsTable {
  model: string;
  version: number;
  artifact_id: string;
  run_id: string | null;
  metrics: string | null;
  metadata: string | null;
  created_at: number;
}

export interface ModelAliasesTable {
  model: string;
  alias: string;
  version: number;
  updated_at: number;
}

export interface AliasHistoryTable {
  model: string;
  /** 1, 2, 3… per model, in the order the changes were made. */
  seq: number;
  alias: string;
  version: number;
  previous_version: number | null;
  action: 'promote' | 'rollback';
  reason: string;
  actor: string;
  at: number;
}

export interface TriggersTable {
  name: string;
  kind: TriggerKind;
  target: string;
  condition: string;
  overlap: OverlapPolicy;
  /** 0 or 1 (SQLite has no boolean). */
  paused: number;
  fired_by: string;
  cursor: string | null;
  created_at: number;
  updated_at: number;
  /** core's triggerDueAt(kind, cursor), kept with every cursor write (0011). */
  due_at: number | null;
}

export interface TriggerFiringsTable {
  id: string;
  trigger_name: string;
  dedupe_key: string;
  status: FiringStatus;
  reason: string;
  evidence: string | null;
  run_id: string | null;
  fired_by: string;
  created_at: number;
  updated_at: number;
  error: string | null;
}

export interface LeasesTable {
  name: string;
  holder: string;
  expires_at: number;
}

export interface AgentsTable {
  id: string;
  host: string;
  pid: number;
  version: string;
  started_at: number;
  heartbeat_at: number;
  stopped_at: number | null;
  stats: string | null;
}

export interface ServingWindowsTable {
  model: string;
  version: number;
  window_start: number;
  kind: string;
  count: number;
  stats: string | null;
  updated_at: number;
}

export interface ApiTokensTable {
  id: string;
  name: string;
  /** read | write | admin */
  scope: string;
  /** `scrypt$N$r$p$salt$hash` (base64url): the secret itself is never stored. */
  hash: string;
  created_by: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface AuditLogTable {
  id: string;
  at: number;
  actor: string;
  token_id: string | null;
  action: string;
  target: string;
  reason: string;
  /** ok | error code */
  outcome: string;
  detail: string | null;
  remote: string | null;
}

/** Filled by triggers (migration 0007); `xid` exists on PostgreSQL only. */
export interface ChangesTable {
  seq: number;
  kind: string;
  run_id: string | null;
  data: string;
  at: number;
}

/** Who executes a run ('' step_run_id) or a step, and its last heartbeat (migration 0005). */
export interface OwnersTable {
  run_id: string;
  step_run_id: string;
  owner: string;
  heartbeat_at: number;
}

/** The store's identity, one row written when it was created (migration 0003). */
export interface StrataStoreTable {
  id: string;
  created_at: number;
}

/** The local-source fast path: one row per host and file, replaced when the file is hashed again (0004). */
export interface FileDigestsTable {
  key: string;
  size: number;
  mtime_ns: string;
  ino: string;
  dev: string;
  sha256: string;
  hashed_at: number;
}

export interface Schema {
  strata_schema_version: SchemaVersionTable;
  strata_store: StrataStoreTable;
  file_digests: FileDigestsTable;
  snapshots: SnapshotsTable;
  runs: RunsTable;
  code_identities: CodeIdentitiesTable;
  step_runs: StepRunsTable;
  artifacts: ArtifactsTable;
  events: EventsTable;
  metadata: MetadataTable;
  logs: LogsTable;
  owners: OwnersTable;
  components: ComponentsTable;
  stacks: StacksTable;
  stack_components: StackComponentsTable;
  models: ModelsTable;
  model_versions: ModelVersionsTable;
  model_aliases: ModelAliasesTable;
  alias_history: AliasHistoryTable;
  triggers: TriggersTable;
  trigger_firings: TriggerFiringsTable;
  leases: LeasesTable;
  agents: AgentsTable;
  serving_windows: ServingWindowsTable;
  api_tokens: ApiTokensTable;
  audit_log: AuditLogTable;
  changes: ChangesTable;
}
