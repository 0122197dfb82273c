import type { Readable, Writable } from 'node:stream';
import { pipeline, step, t } from '@strata/core';
import { loadArtifact, type Materializer } from '@strata/core/plugin';
import { createMlStack, type MlStack } from '@strata/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { penguinsSplit } from '../__fixtures__/datasets.js';
import type { TrainedModel } from '../models/bundle.js';
import { trainModel } from '../models/train.js';
import { serveModel } from '../serving/local-deployer.js';
import { type EvaluationReport, evaluate } from '../steps/evaluate.js';
import { loadModelVersion } from './load-model-version.js';

/** A plugin's own model format: the bundle as JSON behind a magic header (what `t.custom` stores). */
const envelope: Materializer<TrainedModel> = {
  id: 'test.model-envelope',
  version: 1,
  kinds: ['custom:test.model-envelope'],
  accepts: () => false,
  async save(value, sink: Writable) {
    await new Promise<void>((resolve, reject) =>
      sink.end(`ENVELOPE1\n${JSON.stringify(value)}`, (e?: Error | null) => (e ? reject(e) : resolve())),
    );
    return { preview: 'enveloped model' };
  },
  async load(source: Readable) {
    const chunks: Buffer[] = [];
    for await (const chunk of source) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    if (!text.startsWith('ENVELOPE1\n')) throw new Error('not an enveloped model');
    return JSON.parse(text.slice('ENVELOPE1\n'.length)) as TrainedModel;
  },
};

describe('loadModelVersion, evaluate and the model server with a plugin materializer', () => {
  let temp: MlStack;
  let bundle: TrainedModel;
  beforeAll(async () => {
    temp = await createMlStack();
    // What a plugin's `materializers` become in every stack of its project (see build-stack).
    temp.stack.materializers.register(envelope);
    const split = await penguinsSplit();
    bundle = await trainModel({
      data: split.train,
      label: 'species',
      task: 'classification',
      adapter: 'random-forest',
      hyperParameters: { nEstimators: 5 },
    });
    const produce = step({
      name: 'produce',
      outputs: { model: t.custom<TrainedModel>('test.model-envelope') },
      run: () => ({ model: bundle }),
    });
    const p = pipeline({ name: 'enveloped-model', body: () => void produce() });
    const run = await (await p.run({ stack: temp.stack, noCache: true })).wait();
    expect(run.error).toBeNull();
    const [row] = await temp.stack.database.listStepRuns(run.id);
    const output = (await temp.stack.database.stepRunEvents(row!.id)).find((e) => e.type === 'output')!;
    await temp.registry.register({ model: 'enveloped', artifactId: output.artifact.id, runId: run.id });
    await temp.registry.promote('enveloped', 1, { reason: 'test', actor: 'user:test' });
  }, 120_000);
  afterAll(() => temp?.cleanup());

  it('loads the version with the stack materializers, and names the materializer without them', async () => {
    const loaded = await loadModelVersion(
      temp.registry,
      temp.stack.artifactStore,
      'enveloped@production',
      temp.stack.materializers,
    );
    expect(loaded.record.version).toBe(1);
    expect(loaded.bundle.classes).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
    await expect(
      loadModelVersion(temp.registry, temp.stack.artifactStore, 'enveloped@production'),
    ).rejects.toThrow(/unknown materializer "test.model-envelope"/);
  });

  it("evaluate scores the baseline stored by the plugin's materializer (loaded with the stack's)", async () => {
    const split = await penguinsSplit();
    const candidate = step({
      name: 'candidate',
      outputs: { model: t.json<TrainedModel>(), eval: t.table() },
      run: () => ({ model: bundle, eval: split.eval }),
    });
    const p = pipeline({
      name: 'evaluate-enveloped',
      body: () => {
        const { model, eval: data } = candidate();
        evaluate({ model, eval: data }, { params: { modelName: 'enveloped' } });
      },
    });
    const run = await (await p.run({ stack: temp.stack, noCache: true })).wait();
    expect(run.error).toBeNull();
    const rows = await temp.stack.database.listStepRuns(run.id);
    const row = rows.find((r) => r.nodeId === 'evaluate')!;
    const output = (await temp.stack.database.stepRunEvents(row.id)).find((e) => e.type === 'output')!;
    const io = { store: temp.stack.artifactStore, materializers: temp.stack.materializers };
    const report = (await loadArtifact(io, output.artifact)) as EvaluationReport;
    expect(report.baseline?.version).toBe(1);
    // The same bundle on the same rows: the baseline scores exactly what the candidate does.
    expect(report.baseline?.evaluation.metrics).toEqual(report.candidate.metrics);
  });

  it('serves it through the stack deployer: the server loads with the stack materializers', async () => {
    const server = await serveModel(temp.stack, { model: 'enveloped@production', options: { pollMs: 0 } });
    try {
      const response = await fetch(`${server.url}/predict`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          rows: [
            {
              island: 'Biscoe',
              bill_length_mm: 48.6,
              bill_depth_mm: 16,
              flipper_length_mm: 230,
              body_mass_g: 5800,
              sex: 'male',
            },
          ],
        }),
      });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { predictions: string[]; version: number };
      expect(body.predictions).toEqual(['Gentoo']);
    } finally {
      await server.stop();
    }
  });
});
