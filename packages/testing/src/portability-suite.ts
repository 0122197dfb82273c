import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PipelineDefinition } from '@strata/core';
import { type ArtifactStore, isInline } from '@strata/core/plugin';
import { LocalArtifactStore } from '@strata/local';
import { describe, expect, it } from 'vitest';
import { stackForStore } from './fault-proxy-suite.js';

export interface PortabilityOptions {
  /** The pipeline to run twice, unchanged: once on a local store, once on the store under test. */
  readonly pipeline: PipelineDefinition;
  /** Every `node.output` the pipeline writes, e.g. `['train.model', ...]`: the run must write exactly these. */
  readonly outputs: readonly string[];
  /** A fresh store under test (give it a prefix of its own, e.g. with `Date.now()`). */
  create(): ArtifactStore | Promise<ArtifactStore>;
}

/**
 * Runs `options.pipeline` on a local artifact store and on the store `create()` returns, and checks
 * that both runs write the same artifacts (same node outputs, byte-identical sha256s), and that every
 * artifact the metadata records is really in that run's store with the recorded size.
 */
export function describePortability(name: string, options: PortabilityOptions): void {
  describe(`${name} portability`, () => {
    it(`runs the ${options.pipeline.name} on local and on ${name} with identical artifact sha256s`, async () => {
      const root = await mkdtemp(join(tmpdir(), 'strata-portability-'));
      try {
        const local = await outputHashes(
          options.pipeline,
          new LocalArtifactStore(join(root, 'artifacts')),
          root,
          'local',
        );
        const remote = await outputHashes(options.pipeline, await options.create(), root, name);
        expect(Object.keys(local).sort()).toEqual([...options.outputs].sort());
        expect(remote).toEqual(local);
      } finally {
        await rm(root, { recursive: true, force: true });
      }
    }, 300_000);
  });
}

/** The sha256 of every output of one run of `pipeline` on `store`, keyed `node.output`. */
async function outputHashes(
  pipeline: PipelineDefinition,
  store: ArtifactStore,
  root: string,
  name: string,
): Promise<Record<string, string>> {
  const stack = await stackForStore(store, root, name);
  try {
    const run = await (await pipeline.run({ stack })).wait();
    expect(run.error).toBeNull();
    const hashes: Record<string, string> = {};
    for (const stepRun of await stack.database.listStepRuns(run.id)) {
      for (const event of await stack.database.stepRunEvents(stepRun.id)) {
        if (event.type === 'output') hashes[`${stepRun.nodeId}.${event.name}`] = event.artifact.sha256;
      }
    }
    // Every artifact is really in this stack's store, with the recorded size (small values are kept
    // in their metadata row instead, and the pipeline must have stored some in the store).
    const artifacts = await stack.database.listArtifacts();
    expect(artifacts.filter((a) => !isInline(a)).length).toBeGreaterThan(0);
    for (const artifact of artifacts) {
      // A data source's row records its fingerprint (the data version read); it has no bytes in a store.
      if (artifact.kind === 'source') continue;
      expect(artifact.storeIdentity).toBe(store.identity);
      if (isInline(artifact)) continue;
      expect((await store.stat(artifact.storeKey))?.size).toBe(artifact.size);
    }
    return hashes;
  } finally {
    await stack.close();
  }
}
