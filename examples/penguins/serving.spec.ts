/**
 * Model server behaviour beyond the happy path: a swap does not drop or change an in-flight request,
 * and a version that fails the post-deploy smoke check is rolled back automatically.
 */
import { request } from 'node:http';
import { pipeline, runPipeline, step, stepRunId, t } from '@strata/core';
import {
  type ModelAdapter,
  type ModelServer,
  registerModelAdapter,
  serveModel,
  type TrainedModel,
} from '@strata/ml';
import { createMlStack, type MlStack, runPipelineChecked } from '@strata/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODEL, penguins } from './pipeline.js';

// An adapter that loads but cannot predict: what a corrupt or incompatible model looks like.
registerModelAdapter({
  kind: 'broken',
  tasks: ['classification'],
  create: () => {
    throw new Error('not trainable');
  },
  fromJSON: async (json) =>
    ({
      kind: 'broken',
      task: json.task,
      classes: json.classes,
      fit: async () => undefined,
      predict: () => {
        throw new Error('weights do not match the input width');
      },
      toJSON: () => json,
    }) satisfies ModelAdapter,
});

const row = {
  Island: 'Dream',
  'Beak Length (mm)': 39,
  'Beak Depth (mm)': 18,
  'Flipper Length (mm)': 190,
  'Body Mass (g)': 3700,
};

describe('model server', () => {
  let ml: MlStack;
  let server: ModelServer;

  beforeAll(async () => {
    ml = await createMlStack();
    await runPipelineChecked(penguins, {
      stack: ml.stack,
      params: { hyperParameters: { nEstimators: 1, maxDepth: 1 } },
    });
    await runPipelineChecked(penguins, { stack: ml.stack, params: { hyperParameters: { nEstimators: 20 } } });
    await ml.registry.rollback(MODEL, { reason: 'start the test on v1', actor: 'test' });
    server = await serveModel(ml.stack, {
      model: `${MODEL}@production`,
      options: { pollMs: 0, smoke: { rows: [row] } },
    });
  });
  afterAll(async () => {
    await server.stop();
    await ml.cleanup();
  });

  it('finishes an in-flight request on the version it arrived at while the alias moves', async () => {
    expect(server.servedVersion()).toBe(1);
    const url = new URL(`${server.url}/predict`);
    const body = JSON.stringify({ rows: [row] });
    let finish = () => {};
    const answer = new Promise<{ status: number; body: { version: number } }>((resolve, reject) => {
      const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
        let text = '';
        res.on('data', (d) => {
          text += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      });
      req.on('error', reject);
      req.write(body.slice(0, 10));
      finish = () => req.end(body.slice(10));
    });
    // Wait until the server holds the half-sent request.
    for (;;) {
      const meta = (await (await fetch(`${server.url}/metadata`)).json()) as { inFlight: number };
      if (meta.inFlight === 1) break;
    }
    await ml.registry.promote(MODEL, 2, { reason: 'swap under load', actor: 'test' });
    await server.refresh();
    expect(server.servedVersion()).toBe(2);
    finish();
    expect(await answer).toMatchObject({ status: 200, body: { version: 1 } });
  });

  it('rolls back a version that fails the post-deploy smoke check and records why', async () => {
    const good = await ml.registry.resolve(`${MODEL}@2`);
    const broken = step({
      name: 'broken_model',
      outputs: { model: t.json<TrainedModel>() },
      run: async () => {
        const { bundle } = await import('@strata/ml').then((m) =>
          m.loadModelVersion(ml.registry, ml.stack.artifactStore, good),
        );
        return { model: { ...bundle, adapter: 'broken', model: { ...bundle.model, kind: 'broken' } } };
      },
    });
    const run = await (
      await runPipeline(pipeline({ name: 'broken', body: () => void broken() }), { stack: ml.stack })
    ).wait();
    const [event] = await ml.stack.database.stepRunEvents(stepRunId(run.id, 'broken_model'));
    const v3 = await ml.registry.register({ model: MODEL, artifactId: event!.artifactId, runId: run.id });
    await ml.registry.promote(MODEL, v3.version, { reason: 'canary', actor: 'test' });
    await server.refresh();
    expect(server.servedVersion()).toBe(2);
    expect(await ml.registry.aliasVersion(MODEL, 'production')).toBe(2);
    const last = (await ml.registry.history(MODEL)).at(-1)!;
    expect(last).toMatchObject({
      action: 'rollback',
      version: 2,
      previousVersion: 3,
      actor: `server:${MODEL}`,
    });
    expect(last.reason).toMatch(
      /post-deploy check of v3 failed: 2\/2 smoke requests failed \(weights do not match/,
    );
    expect(server.events.at(-1)).toMatchObject({ kind: 'smoke-rollback', version: 2 });
  });
});
