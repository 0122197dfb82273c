/**
 * `@strata/core/testing`: test support that other packages need, never part of the author or plugin
 * API. The in-memory StrataDatabase (held to the same contract suite as SQLite and PostgreSQL by
 * @strata/metadata) and the in-memory stack core's unit tests run on.
 */
export { type MemoryDatabaseOptions, openMemoryDatabase } from './memory-database/memory-database.js';
export { MemoryTables } from './memory-database/tables.js';
export { DirectoryArtifactStore } from './stack/directory-artifact-store.js';
export { InProcessOrchestrator } from './stack/in-process-orchestrator.js';
export {
  createMemoryStack,
  MEMORY_STACK,
  type MemoryStack,
  type MemoryStackOptions,
} from './stack/memory-stack.js';
export { registerTestStack, type TestComponent, testConcurrency } from './stack/register-test-stack.js';
