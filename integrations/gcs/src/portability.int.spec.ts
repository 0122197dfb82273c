import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ArtifactStore } from '@strata/core';
import { LocalArtifactStore } from '@strata/local';
import { stackForStore } from '@strata/testing';
import { expect, it } from 'vitest';
// The quickstart itself (penguins, random forest), unchanged: only the stack differs.
import { quickstart } from '../../../examples/quickstart/pipeline.js';
import { createGcsArtifactStore } from './client.js';
import { ensureGcsBucket, gcsTestConfig } from './test-server.js';

const config = gcsTestConfig();
await ensureGcsBucket(config);
const cloud = () => createGcsArtifactStore({ ...config, prefix: `portability-${Date.now()}` });

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

it('runs the quickstart on local and on gcs with identical artifact sha256s', async () => {
  const root = await mkdtemp(join(tmpdir(), 'strata-portability-'));
  try {
    const local = await outputHashes(new LocalArtifactStore(join(root, 'artifacts')), root, 'local');
    const remote = await outputHashes(cloud(), root, 'gcs');
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
