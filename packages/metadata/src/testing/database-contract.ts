import type { StrataDatabase } from '@strata/core/plugin';
import { MemoryTables, openMemoryDatabase } from '@strata/core/testing';
import { afterEach, beforeEach, describe } from 'vitest';
import type { DatabaseOptions } from '../open-database.js';
import { openDatabase } from '../open-database.js';
import type { SqlStrataDatabase } from '../strata-database.js';
import { artifactsContract } from './contract/artifacts.js';
import { componentsContract } from './contract/components.js';
import type { ContractContext } from './contract/context.js';
import { fileDigestsContract } from './contract/file-digests.js';
import { livenessContract } from './contract/liveness.js';
import { logsAndMetadataContract } from './contract/logs-metadata.js';
import { modelRegistryContract } from './contract/model-registry.js';
import { runsContract } from './contract/runs.js';
import { schemaContract } from './contract/schema.js';
import { stacksContract } from './contract/stacks.js';
import { stepRunsContract } from './contract/step-runs.js';
import { storedDocumentsContract } from './contract/stored-documents.js';
import { triggersContract } from './contract/triggers.js';
import type { DatabaseTarget, TargetFactory } from './targets.js';

/** How the suite gets databases of one implementation. */
export interface ContractDatabases<D extends StrataDatabase> {
  /** A fresh, empty database per call (disposed after the test). */
  readonly target: TargetFactory;
  open(url: string, options?: DatabaseOptions): Promise<D>;
  /** See ContractContext.secondHandle: a handle to race against `db`, opened with `open`. */
  secondHandle(db: D, url: string, open: (url: string) => Promise<D>): Promise<D>;
}

/**
 * The suite's scaffolding: a fresh database per test, every handle closed and every target disposed
 * after it. `parts` registers the describe blocks.
 */
function describeContract<D extends StrataDatabase>(
  name: string,
  databases: ContractDatabases<D>,
  parts: (ctx: ContractContext<D>) => void,
): void {
  describe(`StrataDatabase contract: ${name}`, () => {
    let targets: DatabaseTarget[] = [];
    let handles: D[] = [];
    let main: { db: D; url: string } | undefined;

    const open = async (url: string, options?: DatabaseOptions) => {
      const db = await databases.open(url, options);
      handles.push(db);
      return db;
    };
    const freshUrl = async () => {
      const t = await databases.target();
      targets.push(t);
      return t.url;
    };

    beforeEach(async () => {
      const url = await freshUrl();
      main = { db: await open(url), url };
    });

    afterEach(async () => {
      for (const db of handles) await db.close();
      for (const t of targets) await t.dispose();
      handles = [];
      targets = [];
      main = undefined;
    });

    parts({
      db: () => main!.db,
      url: () => main!.url,
      freshUrl,
      open,
      secondHandle: () => databases.secondHandle(main!.db, main!.url, open),
    });
  });
}

/** The behaviour every StrataDatabase must have, whatever keeps its rows. */
function commonParts(ctx: ContractContext): void {
  describe('runs and snapshots', () => runsContract(ctx));
  describe('step runs, completion and cache', () => stepRunsContract(ctx));
  describe('liveness: owners, heartbeats, crashes', () => livenessContract(ctx));
  describe('local-source fast path', () => fileDigestsContract(ctx));
  describe('artifacts and lineage', () => artifactsContract(ctx));
  describe('logs and metadata', () => logsAndMetadataContract(ctx));
  describe('components', () => componentsContract(ctx));
  describe('stacks', () => stacksContract(ctx));
  describe('model registry', () => modelRegistryContract(ctx));
  describe('schedules, triggers, firings, leases', () => triggersContract(ctx));
}

/**
 * The behaviour every SQL dialect must have, as one vitest suite: the common contract plus stored
 * documents and migrations. `target` gives a fresh, empty database per test (see sqliteTargets /
 * postgresTargets).
 */
export function describeDatabaseContract(name: string, target: TargetFactory): void {
  describeContract<SqlStrataDatabase>(
    name,
    {
      target,
      open: openDatabase,
      secondHandle: (db, url, open) => (db.dialect === 'postgres' ? open(url) : Promise.resolve(db)),
    },
    (ctx) => {
      commonParts(ctx);
      describe('stored documents: versioned and parsed', () => storedDocumentsContract(ctx));
      describe('schema and migrations', () => schemaContract(ctx));
    },
  );
}

/**
 * The same common contract for core's in-memory StrataDatabase (`@strata/core/testing`), so the store
 * core's unit tests run on behaves like the real ones. Not run for it, because they are about SQL
 * only: "stored documents" writes raw SQL text into the snapshots and step_runs columns (the memory
 * store keeps parsed JSON and reads it through the same parseSnapshotBody/parseCacheParts), and
 * "schema and migrations" migrates SQL schemas (memory has none). Several writer processes
 * (concurrent-writers.ts) cannot apply either: memory lives in one process.
 */
export function describeMemoryDatabaseContract(): void {
  const tables = new Map<string, MemoryTables>();
  let n = 0;
  describeContract<StrataDatabase>(
    'memory (@strata/core/testing)',
    {
      target: async () => {
        const url = `memory:t${++n}`;
        tables.set(url, new MemoryTables());
        return { url, dispose: async () => void tables.delete(url) };
      },
      // A second handle on the same tables, as a second connection to the same SQL database.
      open: async (url) =>
        openMemoryDatabase({ tables: tables.get(url)!, name: url.slice('memory:'.length) }),
      secondHandle: (_db, url, open) => open(url),
    },
    commonParts,
  );
}
