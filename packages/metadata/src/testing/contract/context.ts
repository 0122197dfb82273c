import type { StrataError } from '@strata/core';
import type { StrataDatabase } from '@strata/core/plugin';
import { expect } from 'vitest';
import type { DatabaseOptions } from '../../open-database.js';
import type { SqlStrataDatabase } from '../../strata-database.js';

/**
 * What each part of the contract suite gets: the database of the current test and helpers. `D` is
 * the implementation: the parts every StrataDatabase must pass see the interface; the SQL-only parts
 * (migrations, raw stored documents) see SqlStrataDatabase.
 */
export interface ContractContext<D extends StrataDatabase = StrataDatabase> {
  /** The database opened (and migrated) for the current test. */
  db(): D;
  /** Its URL (may carry a password: do not print). */
  url(): string;
  /** A second fresh, empty database URL for this test (disposed after it). */
  freshUrl(): Promise<string>;
  /** Opens another handle (closed after the test). */
  open(url: string, options?: DatabaseOptions): Promise<D>;
  /**
   * A handle to race writes against the current one: another connection where two handles in one
   * process can write at once (PostgreSQL, memory); the same handle on SQLite, where two handles in
   * one thread would wait on each other's write lock (better-sqlite3 blocks the thread). Across
   * processes SQLite's write lock serializes them, which concurrent-writers.ts proves.
   */
  secondHandle(): Promise<D>;
}

/** The context of the SQL-only parts. */
export type SqlContractContext = ContractContext<SqlStrataDatabase>;

/** Awaits a rejection and checks it is a StrataError with this code; returns it for more checks. */
export async function expectStrataError(promise: Promise<unknown>, code: string): Promise<StrataError> {
  let error: unknown;
  try {
    await promise;
  } catch (e) {
    error = e;
  }
  expect(error, `expected a StrataError with code ${code}`).toBeInstanceOf(Error);
  expect(error).toMatchObject({ name: 'StrataError', code });
  const strata = error as StrataError;
  expect(strata.fix, 'a StrataError names the fix').toBeTruthy();
  return strata;
}
