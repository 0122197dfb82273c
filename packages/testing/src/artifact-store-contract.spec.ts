import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalArtifactStore } from '@strata/local';
import { afterAll } from 'vitest';
import { describeArtifactStoreContract } from './artifact-store-contract.js';

const base = await mkdtemp(join(tmpdir(), 'strata-contract-local-'));
afterAll(() => rm(base, { recursive: true, force: true }));

describeArtifactStoreContract('local', (prefix) => new LocalArtifactStore(join(base, prefix)));
