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

/**
 * The behaviour every StrataDatabase dialect must have, as one vitest suite. `target` gives a fresh,
 * empty database per test (see sqliteTargets / postgresTargets).
 */
export function describeDatabaseContract(name: string, target: TargetFactory): void {
  describe(`StrataDatabase contract: ${name}`, () => {
    let targets: DatabaseTarget[] = [];
    let handles: SqlStrataDatabase[] = [];
    let main: { db: SqlStrataDatabase; url: string } | undefined;

    const open = async (url: string, options?: DatabaseOptions) => {
      const db = await openDatabase(url, options);
      handles.push(db);
      return db;
    };
    const freshUrl = async () => {
      const t = await target();
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

    const ctx: ContractContext = {
      db: () => main!.db,
      url: () => main!.url,
      freshUrl,
      open,
    };

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
    describe('stored documents: versioned and parsed', () => storedDocumentsContract(ctx));
    describe('schema and migrations', () => schemaContract(ctx));
  });
}
