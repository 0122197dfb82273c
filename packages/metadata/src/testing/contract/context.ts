import type { StrataError } from '@strata/core';
import { expect } from 'vitest';
import type { DatabaseOptions } from '../../open-database.js';
import type { SqlStrataDatabase } from '../../strata-database.js';

/** What each part of the contract suite gets: the database of the current test and helpers. */
export interface ContractContext {
  /** The database opened (and migrated) for the current test. */
  db(): SqlStrataDatabase;
  /** Its URL (may carry a password: do not print). */
  url(): string;
  /** A second fresh, empty database URL for this test (disposed after it). */
  freshUrl(): Promise<string>;
  /** Opens another handle (closed after the test). */
  open(url: string, options?: DatabaseOptions): Promise<SqlStrataDatabase>;
}

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
