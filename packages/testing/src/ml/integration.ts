import {
  type ArtifactKind,
  type ArtifactRecord,
  type PipelineDefinition,
  type RunRecord,
  type Stack,
  stepRunId,
} from '@strata/core';
import { loadArtifact } from '@strata/core/plugin';

export interface PipelineCheck {
  /** node id -> output name -> expected artifact kind (`table`, `json`, …). */
  readonly outputs: Readonly<Record<string, Readonly<Record<string, ArtifactKind>>>>;
}

export interface CheckedRun {
  readonly run: RunRecord;
  /** Loads an output of a node of this run. */
  output<T = unknown>(node: string, name: string): Promise<T>;
  artifact(node: string, name: string): Promise<ArtifactRecord>;
}

/** A pipeline run whose outputs are not what the test expected. */
export class PipelineCheckError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`pipeline check failed:\n  ${problems.join('\n  ')}`);
    this.name = 'PipelineCheckError';
  }
}

/**
 * Integration test of a whole pipeline (give it a small subset of the data through its params): runs
 * it on `stack`, requires the run to complete and every listed output to exist with the expected kind.
 */
export async function runPipelineChecked(
  definition: PipelineDefinition,
  options: { stack: Stack; params?: Record<string, unknown>; check?: PipelineCheck },
): Promise<CheckedRun> {
  const handle = await definition.run({
    stack: options.stack,
    ...(options.params ? { params: options.params } : {}),
  });
  const run = await handle.wait();
  const db = options.stack.database;
  const problems: string[] = [];
  if (run.status !== 'completed') {
    const failed = (await db.listStepRuns(run.id)).filter((s) => s.status === 'failed');
    problems.push(
      `run ${run.id} ended ${run.status}: ${failed.map((s) => `${s.nodeId}: ${s.error}`).join('; ')}`,
    );
  }
  const artifact = async (node: string, name: string): Promise<ArtifactRecord> => {
    const events = await db.stepRunEvents(stepRunId(run.id, node));
    const found = events.find((e) => e.type === 'output' && e.name === name);
    if (!found) throw new PipelineCheckError([`step "${node}" recorded no output "${name}"`]);
    return found.artifact;
  };
  for (const [node, outputs] of Object.entries(options.check?.outputs ?? {})) {
    for (const [name, kind] of Object.entries(outputs)) {
      try {
        const record = await artifact(node, name);
        if (record.kind !== kind) problems.push(`${node}.${name} is a ${record.kind}, expected ${kind}`);
      } catch (error) {
        problems.push((error as Error).message.replace(/^pipeline check failed:\s*/, ''));
      }
    }
  }
  if (problems.length > 0) throw new PipelineCheckError(problems);
  return {
    run,
    artifact,
    async output<T>(node: string, name: string) {
      const io = { store: options.stack.artifactStore, materializers: options.stack.materializers };
      return (await loadArtifact(io, await artifact(node, name))) as T;
    },
  };
}
