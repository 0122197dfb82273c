import { ModelRegistry, type Stack, stepRunId } from '@strata/core';
import { loadArtifact, stackComponent } from '@strata/core/plugin';
import { STEP_COMPONENT_MODEL } from './step-component-pipeline.js';

export {
  STEP_COMPONENT_MODEL,
  stepComponentModule,
  stepComponentPipeline,
} from './step-component-pipeline.js';

/** What a run of `stepComponentPipeline` recorded, read back from the stack that ran it. */
export interface StepComponentResult {
  readonly status: string | undefined;
  /** The version the step registered, as recorded in the stack's model registry for this run. */
  readonly registeredVersion: number | undefined;
  /** The step's own output: the version it got back and the registry flavor it saw. */
  readonly output: { version: number; flavor: string; pid: number } | undefined;
}

/**
 * The contract every orchestrator meets (local in-process and process isolation, Docker, Temporal): the
 * step reached the stack's own model registry, so the registry holds a version of this run, and it is
 * the version the step reported. Throws with the step's error when it did not.
 */
export async function stepComponentResult(stack: Stack, runId: string): Promise<StepComponentResult> {
  const db = stack.database;
  const row = await db.getStepRun(stepRunId(runId, 'register_tiny'));
  if (row?.status !== 'completed') {
    throw new Error(
      `register_tiny did not complete on stack ${stack.name}: ${row?.status} ${row?.error ?? ''}`,
    );
  }
  const registry = stackComponent(stack, ModelRegistry);
  if (!registry) throw new Error(`stack ${stack.name} has no model registry`);
  const versions = await registry.versions(STEP_COMPONENT_MODEL);
  const event = (await db.stepRunEvents(row.id)).find((e) => e.type === 'output');
  const output = event
    ? ((await loadArtifact(
        { store: stack.artifactStore, materializers: stack.materializers },
        event.artifact,
      )) as StepComponentResult['output'])
    : undefined;
  return {
    status: row.status,
    registeredVersion: versions.find((v) => v.runId === runId)?.version,
    output,
  };
}
