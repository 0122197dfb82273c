import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeArtifactStoreContract } from '@strata/testing';
import { MirrorArtifactStore } from './mirror-artifact-store.js';

// The shared contract every ArtifactStore flavor must pass (atomic puts, streaming, listing, ...).
const base = mkdtempSync(join(tmpdir(), 'strata-mirror-contract-'));
describeArtifactStoreContract(
  'mirror',
  (prefix) => new MirrorArtifactStore(join(base, 'primary', prefix), join(base, 'mirror', prefix)),
  {
    largeObjectBytes: 32 * 1024 * 1024,
  },
);
