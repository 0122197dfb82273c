import { fileURLToPath } from 'node:url';
import { type ArtifactRecord, pipeline, step, t } from '@strata/core';
import { readDataset, serveModel, type TrainedModel, trainModel } from '@strata/ml';
import { createTemporaryStack, type TemporaryStack } from '@strata/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MlflowModelRegistry } from './model-registry.js';
import { registryTestConfig } from './test-server.js';

const penguins = fileURLToPath(
  new URL('../../../packages/ml/src/__fixtures__/penguins.csv', import.meta.url),
);
const row = {
  island: 'Biscoe',
  bill_length_mm: 48.6,
  bill_depth_mm: 16,
  flipper_length_mm: 230,
  body_mass_g: 5800,
  sex: 'male',
};

describe('the model server serving name@alias from the MLflow registry (real server)', () => {
  let temp: TemporaryStack;
  let registry: MlflowModelRegistry;
  const model = `served-${Date.now()}`;

  beforeAll(async () => {
    temp = await createTemporaryStack();
    registry = new MlflowModelRegistry(registryTestConfig(), {
      projectRoot: temp.root,
      componentName: 'mlflow-serving',
      database: temp.stack.database,
      component: async <T>(type: string) =>
        (type === 'artifact_store' ? temp.stack.artifactStore : undefined) as T | undefined,
    });
    // The stack's model registry is MLflow: what `strata serve` and the deployer resolve through.
    (temp.stack.extras as Map<string, unknown>).set('model_registry', registry);
    const { table } = await readDataset(penguins);
    const train = step({
      name: 'train',
      outputs: { model: t.json<TrainedModel>() },
      params: z.object({ trees: z.number() }),
      run: async (_i, { trees }) => ({
        model: await trainModel({
          data: table,
          label: 'species',
          task: 'classification',
          adapter: 'random-forest',
          hyperParameters: { nEstimators: trees },
        }),
      }),
    });
    const p = pipeline({
      name: 'mlflow-served',
      body: () => {
        for (const trees of [3, 4]) train({}, { id: `train-${trees}`, params: { trees } });
      },
    });
    const run = await (await p.run({ stack: temp.stack, noCache: true })).wait();
    expect(run.error).toBeNull();
    const artifacts: ArtifactRecord[] = [];
    for (const s of (await temp.stack.database.listStepRuns(run.id)).sort((a, b) =>
      a.nodeId.localeCompare(b.nodeId),
    )) {
      for (const e of await temp.stack.database.stepRunEvents(s.id))
        if (e.type === 'output') artifacts.push(e.artifact);
    }
    for (const a of artifacts) await registry.register({ model, artifactId: a.id, runId: run.id });
    await registry.promote(model, 1, { reason: 'first', actor: 'user:test' });
  }, 180_000);
  afterAll(() => temp?.cleanup());

  it('serves the version the MLflow alias points at and follows the alias when it moves', async () => {
    const server = await serveModel(temp.stack, { model: `${model}@production`, options: { pollMs: 0 } });
    try {
      expect(server.servedVersion()).toBe(1);
      const predict = async () => {
        const response = await fetch(`${server.url}/predict`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ rows: [row] }),
        });
        expect(response.status).toBe(200);
        return (await response.json()) as { predictions: string[] };
      };
      expect((await predict()).predictions).toEqual(['Gentoo']);
      // Moved in MLflow (as from its UI or Python client would be seen the same way): the server follows.
      await registry.promote(model, 2, { reason: 'better', actor: 'user:test' });
      await server.refresh();
      expect(server.servedVersion()).toBe(2);
      const health = (await (await fetch(`${server.url}/health`)).json()) as { version: number };
      expect(health.version).toBe(2);
      expect((await predict()).predictions).toEqual(['Gentoo']);
    } finally {
      await server.stop();
    }
  });

  it('refuses to serve an alias MLflow does not have, naming the server', async () => {
    await expect(
      serveModel(temp.stack, { model: `${model}@staging`, options: { pollMs: 0 } }),
    ).rejects.toThrow(
      new RegExp(
        `has no alias "staging" in MLflow at ${registryTestConfig().url.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`,
      ),
    );
  });
});
