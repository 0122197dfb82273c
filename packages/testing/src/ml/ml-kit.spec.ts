import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ModelRegistry, pipeline, step, t } from '@strata/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStep } from '../run-step.js';
import { PipelineCheckError, runPipelineChecked } from './integration.js';
import { checkMetricBounds, compareWithBaseline } from './metrics.js';
import { createMlStack, type MlStack } from './ml-stack.js';

const emit = step({ name: 'emit', outputs: { value: t.json<number>() }, run: () => ({ value: 7 }) });
const register = step({
  name: 'register',
  inputs: { value: t.json<number>() },
  outputs: { version: t.number() },
  async run(_inputs, _params, ctx) {
    const [artifact] = ctx.inputArtifacts('value');
    const registry = ctx.component<ModelRegistry>('model_registry');
    return { version: (await registry.register({ model: 'kit', artifactId: artifact!.id })).version };
  },
});
const twoSteps = pipeline({
  name: 'kit',
  body: () => {
    const { value } = emit();
    register({ value });
  },
});

describe('ML testing kit', () => {
  let ml: MlStack;
  beforeAll(async () => {
    ml = await createMlStack();
  });
  afterAll(() => ml.cleanup());

  it('gives steps the stack model registry through context.component and inputArtifacts', async () => {
    const checked = await runPipelineChecked(twoSteps, {
      stack: ml.stack,
      check: { outputs: { emit: { value: 'json' }, register: { version: 'number' } } },
    });
    expect(await checked.output('register', 'version')).toBe(1);
    expect((await ml.registry.resolve('kit')).artifactId).toBe((await checked.artifact('emit', 'value')).id);
    expect((await ml.stack.database.getStack('temporary'))?.components.model_registry).toBe('temporary');
  });

  it('reports outputs of the wrong kind', async () => {
    await expect(
      runPipelineChecked(twoSteps, { stack: ml.stack, check: { outputs: { emit: { value: 'table' } } } }),
    ).rejects.toThrow(PipelineCheckError);
  });

  it('fails a step that needs a component the stack lacks, naming the type', async () => {
    const needs = step({
      name: 'needs',
      outputs: { ok: t.boolean() },
      run: (_i, _p, ctx) => ({ ok: Boolean(ctx.component('deployer')) }),
    });
    await expect(runStep(needs, {}, {}, { stack: ml.stack })).rejects.toThrow(/needs a deployer component/);
  });

  it('checks metric bounds and baselines, updating only when asked', async () => {
    expect(
      checkMetricBounds({ accuracy: 0.9, nested: { r2: 2 } }, { accuracy: [0.8, 1], 'nested.r2': [0, 1] }),
    ).toEqual(['nested.r2 = 2 is outside [0, 1]']);
    const dir = await mkdtemp(join(tmpdir(), 'strata-baseline-'));
    const path = join(dir, 'baseline.json');
    try {
      await expect(compareWithBaseline({ rmse: 3 }, ['rmse'], path, { update: false })).rejects.toThrow(
        /no metrics baseline/,
      );
      expect((await compareWithBaseline({ rmse: 3 }, ['rmse'], path, { update: true })).updated).toBe(true);
      expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ rmse: 3 });
      await compareWithBaseline({ rmse: 3.01 }, ['rmse'], path, { tolerance: 0.05, update: false });
      await expect(
        compareWithBaseline({ rmse: 3.5 }, ['rmse'], path, { tolerance: 0.05, update: false }),
      ).rejects.toThrow(/differ from the baseline/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
