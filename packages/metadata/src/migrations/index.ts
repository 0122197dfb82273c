import { initial } from './0001_initial.js';
import { lookupIndexes } from './0002_lookup_indexes.js';
import type { Migration } from './migration.js';

export type { Migration } from './migration.js';

/** Every migration, in order. Add `0002_<what>.ts` and append it here; never edit a released one. */
export const migrations: readonly Migration[] = [initial, lookupIndexes];

/** The schema version this code writes and reads. */
export const currentSchemaVersion: number = migrations[migrations.length - 1]!.version;
