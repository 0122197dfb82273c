import { initial } from './0001_initial.js';
import { lookupIndexes } from './0002_lookup_indexes.js';
import { storeIdentity } from './0003_store_identity.js';
import { fileDigests } from './0004_file_digests.js';
import { liveness } from './0005_liveness.js';
import { continuousTraining } from './0006_continuous_training.js';
import { serverTables } from './0007_server.js';
import { codeIdentities } from './0008_code_identities.js';
import { triggerDueAt } from './0011_trigger_due_at.js';
import type { Migration } from './migration.js';

export type { Migration } from './migration.js';

/**
 * Every migration, in order of version. Add `000N_<what>.ts` and append it here; never edit a released
 * one. Versions may have gaps while parallel branches land (see the migrator: it applies every
 * migration the database has not recorded, not only those above its highest version).
 */
export const migrations: readonly Migration[] = [
  initial,
  lookupIndexes,
  storeIdentity,
  fileDigests,
  liveness,
  continuousTraining,
  serverTables,
  codeIdentities,
  triggerDueAt,
];

/** The schema version this code writes and reads. */
export const currentSchemaVersion: number = migrations[migrations.length - 1]!.version;
