import {
  type ArtifactTypes,
  isSource,
  type JsonValue,
  type LogLine,
  type ParamsSchema,
  pipeline,
  type Source,
  type SourceValue,
  type Stack,
  type StepDefinition,
  type StepRunRecord,
  StrataError,
  step,
  stepRunId,
  type ValuesOf,
} from '@strata/core';
import type { z } from 'zod';
import { createTemporaryStack } from './temporary-stack.js';

export interface RunStepOptions {
  /** Run on this stack (in-process orchestrator) instead of a fresh temporary one. */
  readonly stack?: Stack;
}

/** The values runStep takes: a `source(...)` for a `t.source()` input, the value itself otherwise. */
export type StepInputs<I extends ArtifactTypes> = {
  [K in keyof I]: ValuesOf<I>[K] extends SourceValue ? Source : ValuesOf<I>[K];
};

/** Everything one isolated step run produced. */
export interface StepResult<O extends ArtifactTypes> {
  readonly outputs: ValuesOf<O>;
  readonly stepRun: StepRunRecord;
  readonly logs: readonly LogLine[];
  /** What the step recorded with `ctx.log(...)` (step-level entries). */
  readonly metadata: Record<string, JsonValue>;
}

/** The step failed: `stepRun.error` and `stepRun.errorStack` say why. */
export class StepFailedError extends Error {
  constructor(readonly stepRun: StepRunRecord) {
    super(`step "${stepRun.nodeId}" ${stepRun.status}: ${stepRun.error ?? 'no error recorded'}`);
    this.name = 'StepFailedError';
  }
}

/**
 * Unit-tests one step in isolation: each input value is fed by a synthetic source step, the step runs
 * through the real StepRunner (materializers, retries, timeout, hooks) on an ephemeral stack, and its
 * outputs are loaded back from the artifact store, so what a test sees is what a downstream step would.
 */
export async function runStep<I extends ArtifactTypes, O extends ArtifactTypes, P extends ParamsSchema>(
  definition: StepDefinition<I, O, P>,
  inputs: StepInputs<I>,
  params?: z.input<P>,
  options: RunStepOptions = {},
): Promise<ValuesOf<O>> {
  return (await runStepDetailed(definition, inputs, params, options)).outputs;
}

/** Like runStep, also returning the step run row, its log lines and its metadata. */
export async function runStepDetailed<
  I extends ArtifactTypes,
  O extends ArtifactTypes,
  P extends ParamsSchema,
>(
  definition: StepDefinition<I, O, P>,
  inputs: StepInputs<I>,
  params?: z.input<P>,
  options: RunStepOptions = {},
): Promise<StepResult<O>> {
  const declared = (definition.spec.inputs ?? {}) as ArtifactTypes;
  for (const name of Object.keys(inputs as object)) {
    if (!(name in declared)) {
      throw new StrataError(`runStep: step "${definition.spec.name}" has no input "${name}"`, {
        code: 'invalid_input',
        field: `inputs.${name}`,
        value: name,
        fix: `pass only declared inputs: ${Object.keys(declared).join(', ') || 'none'}`,
      });
    }
  }
  const sources = Object.entries(declared).map(([name, type]) => {
    if (!(name in (inputs as object))) {
      throw new StrataError(`runStep: missing input "${name}" of step "${definition.spec.name}"`, {
        code: 'invalid_input',
        field: `inputs.${name}`,
        value: undefined,
        fix: `pass { ${name}: <value> }`,
      });
    }
    const value = (inputs as Record<string, unknown>)[name];
    // A source is wired as it is: the step fingerprints it like in a pipeline.
    if (isSource(value)) return { name, source: () => ({ value }) };
    return {
      name,
      source: step({ name: `input_${name}`, outputs: { value: type }, run: () => ({ value }) as never }),
    };
  });
  const nodeId = definition.spec.name;
  const synthetic = pipeline({
    name: `runStep:${nodeId}`,
    body: () => {
      const wired: Record<string, unknown> = {};
      for (const { name, source } of sources) wired[name] = source().value;
      (definition as unknown as StepDefinition)(wired as never, {
        params: (params ?? {}) as never,
        id: nodeId,
      });
    },
  });
  const temporary = options.stack ? undefined : await createTemporaryStack();
  const stack = options.stack ?? temporary!.stack;
  try {
    const handle = await synthetic.run({ stack, noCache: true });
    await handle.wait();
    const id = stepRunId(handle.id, nodeId);
    const db = stack.database;
    const stepRun = (await db.getStepRun(id))!;
    if (stepRun.status !== 'completed') {
      const upstream = (await db.listStepRuns(handle.id)).find((r) => r.status === 'failed' && r.id !== id);
      throw new StepFailedError(upstream ?? stepRun);
    }
    const outputs: Record<string, unknown> = {};
    for (const name of Object.keys(definition.spec.outputs))
      outputs[name] = await handle.output(nodeId, name);
    return {
      outputs: outputs as ValuesOf<O>,
      stepRun,
      logs: await db.readLogs({ stepRunId: id }),
      metadata: await db.getMetadata('step_run', id),
    };
  } finally {
    await temporary?.cleanup();
  }
}
