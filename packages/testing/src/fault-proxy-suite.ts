import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline, type Stack, step, t } from '@strata/core';
import { type ArtifactStore, isInline, MaterializerRegistry, stepRunnerFactory } from '@strata/core/plugin';
import { LocalOrchestrator } from '@strata/local';
import { openDatabase } from '@strata/metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FaultProxy, startFaultProxy } from './fault-proxy.js';

export interface StoreUnderFaultsOptions {
  /** The real server's origin, e.g. process.env.STRATA_TEST_S3_ENDPOINT. */
  readonly target: string;
  /** A store that talks to `endpoint` (the proxy) under `prefix`, with few attempts when `attempts` is small. */
  create(endpoint: string, prefix: string, attempts: number): ArtifactStore | Promise<ArtifactStore>;
  /** Bytes of the largest artifact (default 20 MiB: several parts/blocks/chunks). */
  readonly largeBytes?: number;
}

/** Five steps, seven artifacts of several kinds, one of them large enough for multipart uploads. */
function faultPipeline(largeBytes: number) {
  const numbers = step({
    name: 'numbers',
    outputs: { values: t.json<number[]>() },
    run: () => ({ values: Array.from({ length: 2000 }, (_, i) => i) }),
  });
  const squares = step({
    name: 'squares',
    inputs: { values: t.json<number[]>() },
    outputs: { squares: t.json<number[]>(), count: t.number() },
    run: ({ values }) => ({ squares: values.map((v) => v * v), count: values.length }),
  });
  const payload = step({
    name: 'payload',
    outputs: { blob: t.bytes() },
    run: () => {
      const blob = new Uint8Array(largeBytes);
      for (let i = 0; i < blob.length; i++) blob[i] = (i * 31 + (i >>> 11)) & 0xff;
      return { blob };
    },
  });
  const digest = step({
    name: 'digest',
    inputs: { blob: t.bytes() },
    outputs: { sha256: t.string() },
    run: ({ blob }) => ({ sha256: createHash('sha256').update(blob).digest('hex') }),
  });
  const summary = step({
    name: 'summary',
    inputs: { squares: t.json<number[]>(), count: t.number(), sha256: t.string() },
    outputs: { report: t.json<{ total: number; count: number; sha256: string }>() },
    run: ({ squares, count, sha256 }) => ({
      report: { total: squares.reduce((a, b) => a + b, 0), count, sha256 },
    }),
  });
  return pipeline({
    name: 'fault_tolerance',
    body: () => {
      const { values } = numbers();
      const { squares: sq, count } = squares({ values });
      const { blob } = payload();
      const { sha256 } = digest({ blob });
      summary({ squares: sq, count, sha256 });
    },
  });
}

function expectedReport(largeBytes: number) {
  const blob = new Uint8Array(largeBytes);
  for (let i = 0; i < blob.length; i++) blob[i] = (i * 31 + (i >>> 11)) & 0xff;
  let total = 0;
  for (let i = 0; i < 2000; i++) total += i * i;
  return { total, count: 2000, sha256: createHash('sha256').update(blob).digest('hex') };
}

/**
 * A stack built by hand, without a project: `local` orchestrator (in-process, 4 at once), the given
 * store, SQLite metadata in `root/<name>.db`. Closing it closes the store and the database.
 */
export async function stackForStore(store: ArtifactStore, root: string, name: string): Promise<Stack> {
  const database = await openDatabase(join(root, `${name}.db`));
  const materializers = new MaterializerRegistry();
  const extras = new Map<string, unknown>();
  return {
    name,
    projectRoot: root,
    orchestrator: new LocalOrchestrator({ concurrency: 4, isolation: 'in-process' }),
    artifactStore: store,
    database,
    materializers,
    extras,
    stepRunner: stepRunnerFactory({ database, artifactStore: store, materializers, components: extras }),
    components: {
      orchestrator: { name: 'local', flavor: 'local', config: {} },
      artifact_store: { name, flavor: name, config: { identity: store.identity } },
    },
    async close() {
      await store.close?.();
      await database.close();
    },
  };
}

/**
 * Runs a five-step pipeline on `local orchestrator + <store through a fault-injecting proxy>`:
 * with 10% of requests failing it completes through retries with correct artifacts; with every
 * request failing it fails with a clear error and records no artifact.
 */
export function describeStoreUnderFaults(name: string, options: StoreUnderFaultsOptions): void {
  const largeBytes = options.largeBytes ?? 20 * 1024 * 1024;
  describe(`${name} artifact store behind a fault-injecting proxy`, () => {
    let proxy: FaultProxy;
    /** Fails every request (a slow response would still succeed, so it is left out). */
    let dead: FaultProxy;
    let root: string;
    beforeAll(async () => {
      proxy = await startFaultProxy({ target: options.target, failureRate: 0, slowMs: 500, seed: 7 });
      dead = await startFaultProxy({
        target: options.target,
        failureRate: 1,
        faults: ['reset', '500', '503'],
      });
      root = await mkdtemp(join(tmpdir(), `strata-faults-${name}-`));
    });
    afterAll(async () => {
      await proxy?.close();
      await dead?.close();
      if (root) await rm(root, { recursive: true, force: true });
    });

    it('completes a pipeline with correct artifacts when 10% of requests fail', async () => {
      const prefix = `faults-${Date.now()}`;
      const stack = await stackForStore(await options.create(proxy.url, prefix, 8), root, `${name}-flaky`);
      try {
        proxy.setFailureRate(0.1);
        const before = proxy.stats.requests;
        const handle = await faultPipeline(largeBytes).run({ stack });
        const run = await handle.wait();
        proxy.setFailureRate(0);
        expect(run.error).toBeNull();
        expect(run.status).toBe('completed');
        expect(proxy.stats.requests - before).toBeGreaterThan(10);
        const injected = Object.values(proxy.stats.injected).reduce((a, b) => a + b, 0);
        expect(injected).toBeGreaterThan(0);
        expect(await handle.output('summary', 'report')).toEqual(expectedReport(largeBytes));
        const artifacts = await stack.database.listArtifacts();
        expect(artifacts.length).toBeGreaterThanOrEqual(6);
        for (const a of artifacts.filter((a) => !isInline(a))) {
          const info = await stack.artifactStore.stat(a.storeKey);
          expect(info?.size).toBe(a.size);
        }
        console.log(
          `[faults ${name}] ${proxy.stats.requests - before} requests, injected ${JSON.stringify(proxy.stats.injected)}`,
        );
      } finally {
        proxy.setFailureRate(0);
        await stack.close();
      }
    }, 300_000);

    it('fails clearly and records no artifact when every request fails', async () => {
      const stack = await stackForStore(
        await options.create(dead.url, `dead-${Date.now()}`, 2),
        root,
        `${name}-dead`,
      );
      try {
        const run = await (await faultPipeline(largeBytes).run({ stack })).wait();
        expect(run.status).toBe('failed');
        const failed = (await stack.database.listStepRuns(run.id)).filter((s) => s.status === 'failed');
        expect(failed.length).toBeGreaterThan(0);
        const message = failed.map((s) => s.error ?? '').join('\n');
        expect(message).toMatch(/failed/);
        expect(message).toMatch(new RegExp(`${name}|bucket|container`, 'i'));
        expect(await stack.database.listArtifacts()).toEqual([]);
        expect((await stack.database.listStepRuns(run.id)).some((s) => s.status === 'completed')).toBe(false);
        expect(dead.stats.requests).toBeGreaterThan(0);
      } finally {
        await stack.close();
      }
    }, 300_000);
  });
}
