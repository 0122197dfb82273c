export type { ArtifactPage, ArtifactSearch } from './browse/artifact-search.js';
export { Browse, browseOf } from './browse/browse.js';
export type { CursorKey } from './browse/cursor.js';
export type { MetricPoint, MetricQuery } from './browse/metrics.js';
export type { RunPage, RunSearch, RunSortField } from './browse/run-search.js';
export type { PipelineSnapshot } from './browse/snapshots.js';
export { type BlobRef, checkDatabase, type DatabaseFinding, listBlobs } from './doctor.js';
export { currentSchemaVersion, type Migration, migrations } from './migrations/index.js';
export type { MigrationResult } from './migrator.js';
export {
  type DatabaseOptions,
  type MigrationStatus,
  migrate,
  migrationStatus,
  openDatabase,
} from './open-database.js';
export type { OpenDatabaseOptions } from './open-options.js';
export { openPostgresDatabase, type PostgresOpenOptions } from './postgres/open.js';
export type { ApiTokenRecord } from './server-store/api-tokens.js';
export type { AuditEntry } from './server-store/audit-log.js';
export {
  type ChangeRecord,
  type CursorKey as ChangeCursor,
  compareCursor,
  parseChangeCursor,
} from './server-store/changes.js';
export { type ChangeListener, type ServerStore, serverStoreOf } from './server-store/server-store.js';
export { openSqliteDatabase, type SqliteOpenOptions } from './sqlite/open.js';
export { storeIdOf } from './store-identity.js';
export { SqlStrataDatabase } from './strata-database.js';
export { type ExportOptions, exportStore, exportToStream } from './transfer/export.js';
export { importStore } from './transfer/import.js';
export { type TransferCounts, transferTables } from './transfer/tables.js';
export { type DatabaseLocation, parseDatabaseUrl, redactUrl } from './url.js';
