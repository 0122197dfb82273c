import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ArtifactStore } from '@strata/core';
import { LocalArtifactStore } from '@strata/local';
import { stackForStore } from '@strata/testing';
import { expect, it } from 'vitest';
// The quickstart itself (penguins, random forest), unchanged: only the stack differs.
import { quickstart } from '../../../examples/quickstart/pipeline.js';
import { createS3ArtifactStore } from './client.js';
import { ensureS3Bucket, s3TestConfig } from './test-server.js';

const config = s3TestConfig();
await ensureS3Bucket(config);
const cloud = () => createS3ArtifactStore({ ...config, prefix: `portability-${Date.now()}` });

async function outputHashes(
  store: ArtifactStore,
  root: string,
  name: string,
): Promise<Record<string, string>> {
  const stack = await stackForStore(store, root, name);
  try {
    const handle = await quickstart.run({ stack });
    const run = await handle.wait();
    expect(run.error).toBeNull();
    const hashes: Record<string, string> = {};
    for (const stepRun of await stack.database.listStepRuns(run.id)) {
      for (const event of await stack.database.stepRunEvents(stepRun.id)) {
        if (event.type === 'output') hashes[`${stepRun.nodeId}.${event.name}`] = event.artifact.sha256;
      }
    }
    // Every artifact is really in this stack's store, with the recorded size.
    for (const artifact of await stack.database.listArtifacts()) {
      expect(artifact.storeIdentity).toBe(store.identity);
      expect((await store.stat(artifact.storeKey))?.size).toBe(artifact.size);
    }
    return hashes;
  } finally {
    await stack.close();
  }
}

it('runs the quickstart on local and on s3 with identical artifact sha256s', async () => {
  const root = await mkdtemp(join(tmpdir(), 'strata-portability-'));
  try {
    const local = await outputHashes(new LocalArtifactStore(join(root, 'artifacts')), root, 'local');
    const remote = await outputHashes(cloud(), root, 's3');
    expect(Object.keys(local).sort()).toEqual([
      'evaluate.accuracy',
      'load_penguins.rows',
      'split.test',
      'split.train',
      'train.model',
    ]);
    expect(remote).toEqual(local);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}, 300_000);
