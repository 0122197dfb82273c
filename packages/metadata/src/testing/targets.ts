import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { redactUrl } from '../url.js';

/** A fresh, empty database for one test, and how to throw it away. */
export interface DatabaseTarget {
  readonly url: string;
  dispose(): Promise<void>;
}

export type TargetFactory = () => Promise<DatabaseTarget>;

/** Each target is a new SQLite file in its own temporary folder. */
export function sqliteTargets(): TargetFactory {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-metadata-'));
    return {
      url: `sqlite:${join(dir, 'strata.db')}`,
      dispose: async () => rmSync(dir, { recursive: true, force: true }),
    };
  };
}

export interface PostgresTargets {
  /** Each target is a new schema (`?schema=t<n>`) inside the throwaway database. */
  readonly next: TargetFactory;
  /** The throwaway database, for tests that need a whole database. */
  readonly databaseUrl: string;
  /** Drops the throwaway database (and everything in it). */
  dispose(): Promise<void>;
}

/**
 * Creates a throwaway database `strata_t_<pid>_<random>` on the server `serverUrl` points at (its role
 * needs CREATEDB); targets are schemas inside it. `dispose` drops the database.
 */
export async function postgresTargets(serverUrl: string): Promise<PostgresTargets> {
  const name = `strata_t_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  await admin(serverUrl, `create database ${name}`);
  const database = new URL(serverUrl);
  database.pathname = `/${name}`;
  const databaseUrl = database.toString();
  let n = 0;
  return {
    databaseUrl,
    next: async () => {
      const url = new URL(databaseUrl);
      url.searchParams.set('schema', `t${++n}`);
      return { url: url.toString(), dispose: async () => {} };
    },
    dispose: () => dropDatabase(serverUrl, name),
  };
}

/**
 * Drops a throwaway database, retried: `with (force)` ends the sessions it can see, but a session that
 * is still being set up (a container's pool reconnecting as it is removed) can refuse one attempt.
 */
async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await admin(serverUrl, `drop database if exists ${name} with (force)`);
    } catch (error) {
      if (attempt >= 5) throw error;
      await new Promise((r) => setTimeout(r, 500 * attempt));
    }
  }
}

async function admin(serverUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  try {
    await client.connect();
    await client.query(statement);
  } catch (error) {
    throw new Error(`${statement} on ${redactUrl(serverUrl)} failed: ${(error as Error).message}`);
  } finally {
    await client.end().catch(() => {});
  }
}
