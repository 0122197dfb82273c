/**
 * The step-component contract's pipeline: a step that reaches the stack's model registry through its
 * typed token (`ctx.component(ModelRegistry)`) and registers the model the step before it produced.
 * Orchestrators run it in this process, in step processes, containers and Temporal workers, which
 * import this module by path (so it imports no test runner).
 */
import { fileURLToPath } from 'node:url';
import { ModelRegistry, pipeline, step, t } from '@strata/core';

/** This module's path, for submitting from a child process or naming it to a worker. */
export const stepComponentModule: string = fileURLToPath(import.meta.url);
export const STEP_COMPONENT_MODEL = 'component-contract';

const trainTiny = step({
  name: 'train_tiny',
  outputs: { model: t.json<{ weights: number[] }>() },
  run: () => ({ model: { weights: [1, 2, 3] } }),
});

const registerTiny = step({
  name: 'register_tiny',
  inputs: { model: t.json<{ weights: number[] }>() },
  outputs: { registered: t.json<{ version: number; flavor: string; pid: number }>() },
  // Registering is a side effect: every run registers (no cache hit hides a missing component).
  cache: false,
  async run(_inputs, _params, ctx) {
    const registry = ctx.component(ModelRegistry);
    const [artifact] = ctx.inputArtifacts('model');
    const version = await registry.register({
      model: STEP_COMPONENT_MODEL,
      artifactId: artifact!.id,
      runId: ctx.runId,
    });
    return { registered: { version: version.version, flavor: registry.flavor, pid: process.pid } };
  },
});

export const stepComponentPipeline = pipeline({
  name: 'step_component_contract',
  body: () => {
    const { model } = trainTiny();
    registerTiny({ model });
  },
});
