import type { StrataDatabase } from '../../metadata/strata-database.js';
import { MemoryComponentStore } from './component-store.js';
import { MemoryLineageStore } from './lineage-store.js';
import { MemoryLivenessStore } from './liveness-store.js';
import { MemoryModelRegistryStore } from './model-registry-store.js';
import { MemoryRunsStore, toStepRun } from './runs-store.js';
import { MemorySourceDigestStore } from './source-digest-store.js';
import { MemoryTables } from './tables.js';
import { MemoryTriggerStore } from './trigger-store.js';

export interface MemoryDatabaseOptions {
  /** The tables to open: pass the same ones to open a second handle on one database. Default: new, empty. */
  readonly tables?: MemoryTables;
  /** Shown as `memory:<name>` in the database's url (default `test`). */
  readonly name?: string;
}

/** The public members of a store class (a mapped type: spreading it keeps its methods, unlike a class type). */
type Methods<T> = { [K in keyof T]: T[K] };

/** Every method of `store` (from its class), bound to it and refused once the handle is closed. */
function methodsOf<T extends object>(store: T, isClosed: () => boolean, url: string): Methods<T> {
  const methods: Record<string, unknown> = {};
  for (const name of Object.getOwnPropertyNames(Object.getPrototypeOf(store))) {
    const method = (store as Record<string, unknown>)[name];
    if (name === 'constructor' || typeof method !== 'function') continue;
    methods[name] = async (...args: unknown[]) => {
      // The SQL stores fail on a closed pool too: a read after close is a bug in the caller.
      if (isClosed()) throw new Error(`the database ${url} is closed (${name} called after close())`);
      return (method as (...a: unknown[]) => unknown).apply(store, args);
    };
  }
  return methods as Methods<T>;
}

/**
 * A StrataDatabase held in this process's memory: the same contract as the SQLite and PostgreSQL
 * stores (the metadata package runs its database contract suite against it), for core's unit tests
 * and anything else that needs a fast, throwaway store. Nothing survives the process, and another
 * process cannot reach it: `shared` is false and process isolation needs a real store.
 */
export function openMemoryDatabase(options: MemoryDatabaseOptions = {}): StrataDatabase {
  const tables = options.tables ?? new MemoryTables();
  const url = `memory:${options.name ?? 'test'}`;
  let closed = false;
  const isClosed = () => closed;
  const step = (id: string) => toStepRun(tables.stepRuns.get(id)!);
  const stores = {
    ...methodsOf(new MemoryRunsStore(tables), isClosed, url),
    ...methodsOf(new MemoryLineageStore(tables, step), isClosed, url),
    ...methodsOf(new MemoryComponentStore(tables), isClosed, url),
    ...methodsOf(new MemoryModelRegistryStore(tables), isClosed, url),
    ...methodsOf(new MemoryTriggerStore(tables), isClosed, url),
    ...methodsOf(new MemoryLivenessStore(tables), isClosed, url),
    ...methodsOf(new MemorySourceDigestStore(tables), isClosed, url),
  };
  const database: StrataDatabase = {
    ...stores,
    url,
    shared: false,
    /** Closes this handle (the tables stay for other handles); calling it again is harmless. */
    async close() {
      closed = true;
    },
  };
  return database;
}
