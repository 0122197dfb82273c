import type { Schema } from '../schema/tables.js';

// `changes` is a feed the triggers refill; a moved store starts its own.
export type TableName = Exclude<keyof Schema, 'strata_schema_version' | 'changes'>;

export interface TableSpec {
  readonly name: TableName;
  /** Every column, as migrations create them (the export writes rows with exactly these keys). */
  readonly columns: readonly string[];
  /** The primary key: the export pages through the table in this order. */
  readonly key: readonly string[];
}

const t = (name: TableName, key: string[], columns: string[]): TableSpec => ({ name, key, columns });

/** Every table of the store, parents before children, so an import never breaks a foreign key. */
export const transferTables: readonly TableSpec[] = [
  t('snapshots', ['id'], ['id', 'pipeline_name', 'body', 'created_at']),
  t(
    'runs',
    ['id'],
    [
      'id',
      'name',
      'pipeline_name',
      'snapshot_id',
      'status',
      'stack_name',
      'orchestrator',
      'params',
      'environment',
      'created_at',
      'started_at',
      'ended_at',
      'error',
      'resumed_from',
    ],
  ),
  t('code_identities', ['id'], ['id', 'body', 'created_at']),
  t(
    'step_runs',
    ['id'],
    [
      'id',
      'run_id',
      'node_id',
      'step_name',
      'map_index',
      'status',
      'cache_key',
      'cache_parts',
      'cache_reason',
      'cached_from',
      'attempt',
      'created_at',
      'started_at',
      'ended_at',
      'error',
      'error_stack',
    ],
  ),
  t(
    'artifacts',
    ['id'],
    [
      'id',
      'uri',
      'store_key',
      'store_identity',
      'sha256',
      'size',
      'kind',
      'materializer',
      'materializer_version',
      'summary',
      'producer_step_run_id',
      'created_at',
    ],
  ),
  t(
    'events',
    ['step_run_id', 'type', 'name', 'position'],
    ['step_run_id', 'artifact_id', 'type', 'name', 'position'],
  ),
  t('metadata', ['owner_type', 'owner_id', 'key'], ['owner_type', 'owner_id', 'key', 'value', 'created_at']),
  t('logs', ['step_run_id', 'seq'], ['step_run_id', 'seq', 'at', 'level', 'message']),
  t('components', ['type', 'name'], ['type', 'name', 'flavor', 'config', 'created_at', 'updated_at']),
  t('stacks', ['name'], ['name', 'created_at', 'updated_at']),
  t('stack_components', ['stack_name', 'component_type'], ['stack_name', 'component_type', 'component_name']),
  t('models', ['name'], ['name', 'description', 'latest_version', 'created_at']),
  t(
    'model_versions',
    ['model', 'version'],
    ['model', 'version', 'artifact_id', 'run_id', 'metrics', 'metadata', 'created_at'],
  ),
  t('model_aliases', ['model', 'alias'], ['model', 'alias', 'version', 'updated_at']),
  t(
    'alias_history',
    ['model', 'seq'],
    ['model', 'seq', 'alias', 'version', 'previous_version', 'action', 'reason', 'actor', 'at'],
  ),
  t(
    'triggers',
    ['name'],
    [
      'name',
      'kind',
      'target',
      'condition',
      'overlap',
      'paused',
      'fired_by',
      'cursor',
      'created_at',
      'updated_at',
    ],
  ),
  t(
    'trigger_firings',
    ['id'],
    [
      'id',
      'trigger_name',
      'dedupe_key',
      'status',
      'reason',
      'evidence',
      'run_id',
      'fired_by',
      'created_at',
      'updated_at',
      'error',
    ],
  ),
  t('leases', ['name'], ['name', 'holder', 'expires_at']),
  t('agents', ['id'], ['id', 'host', 'pid', 'version', 'started_at', 'heartbeat_at', 'stopped_at', 'stats']),
  t(
    'serving_windows',
    ['model', 'version', 'window_start', 'kind'],
    ['model', 'version', 'window_start', 'kind', 'count', 'stats', 'updated_at'],
  ),
  t(
    'api_tokens',
    ['id'],
    ['id', 'name', 'scope', 'hash', 'created_by', 'created_at', 'last_used_at', 'revoked_at'],
  ),
  t(
    'audit_log',
    ['id'],
    ['id', 'at', 'actor', 'token_id', 'action', 'target', 'reason', 'outcome', 'detail', 'remote'],
  ),
];

/** The first line of an export file. */
export interface ExportHeader {
  readonly format: 'strata-metadata';
  /** Version of this file format. */
  readonly formatVersion: 1;
  /** Schema version of the store it came from. */
  readonly schemaVersion: number;
  /** The source store, password redacted. */
  readonly source: string;
  readonly exportedAt: number;
}

/** The last line: the row count of every table, so a truncated file is detected. */
export interface ExportTrailer {
  readonly end: true;
  readonly counts: Readonly<Record<string, number>>;
}

/** Every other line: one row of one table. */
export interface ExportRow {
  readonly table: TableName;
  readonly row: Readonly<Record<string, unknown>>;
}

export type TransferCounts = Record<TableName, number>;
