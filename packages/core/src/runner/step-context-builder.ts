import { StrataError } from '../errors/strata-error.js';
import type { JsonValue } from '../metadata/records.js';
import type { SnapshotNode } from '../pipeline/snapshot.js';
import { type ComponentKey, componentTypeOf } from '../stack/component-token.js';
import type { StepContext } from '../step/step-context.js';
import { type ArtifactIO, loadArtifact } from './artifact-io.js';
import type { LazySignal } from './retry.js';
import type { ScratchDir } from './scratch-dir.js';
import type { BufferedStepLogger } from './step-logger.js';
import type { ResolvedInput, StepTask } from './step-task.js';
import { unwatched } from './undeclared-reads.js';

/** Metadata a step logged, for the step run or for one of its outputs. */
export interface LoggedMetadata {
  readonly output?: string;
  readonly values: Record<string, JsonValue>;
}

/** Everything a step's context is built from; one object, so call sites name what they pass. */
export interface StepContextOptions {
  readonly task: StepTask;
  readonly node: SnapshotNode;
  readonly stepRunId: string;
  readonly mapIndex: number;
  readonly attempt: number;
  readonly logger: BufferedStepLogger;
  /** Where `context.log()` appends; written to the database when the step completes. */
  readonly metadata: LoggedMetadata[];
  readonly scratchDir: ScratchDir;
  /** The body's abort signal, or one made when first read (most bodies never read it). */
  readonly signal: AbortSignal | LazySignal;
  readonly components?: ReadonlyMap<string, unknown> | undefined;
  readonly inputs?: readonly ResolvedInput[];
  /** The runner's store and materializers, for `context.loadArtifact()`. */
  readonly io: ArtifactIO;
}

export function makeStepContext(options: StepContextOptions): StepContext {
  const { task, node, stepRunId, mapIndex, components, metadata, scratchDir, signal } = options;
  return {
    runId: task.runId,
    stepRunId,
    nodeId: node.id,
    stepName: node.step,
    pipelineName: task.snapshot.pipeline,
    mapIndex,
    attempt: options.attempt,
    logger: options.logger,
    log(values, logOptions) {
      metadata.push(logOptions?.output === undefined ? { values } : { values, output: logOptions.output });
    },
    // Methods, not arrow properties: the bundle names each arrow property it builds (a call per
    // property per step); methods keep their names for free and, as before, need no \`this\`.
    outputUri(name) {
      return `strata://runs/${task.runId}/${node.id}${mapIndex >= 0 ? `[${mapIndex}]` : ''}/${name}`;
    },
    get scratchDir() {
      return scratchDir.path;
    },
    get signal() {
      return signal instanceof AbortSignal ? signal : signal.signal;
    },
    inputArtifacts(name) {
      return options.inputs?.find((i) => i.name === name)?.artifacts ?? [];
    },
    // Strata's own reads, not the step's; file artifacts land in its scratch directory.
    loadArtifact(artifact) {
      return unwatched(() => loadArtifact(options.io, artifact, () => scratchDir.path));
    },
    component<T>(key: ComponentKey<T>): T {
      const type = componentTypeOf(key);
      const found = components?.get(type);
      if (found === undefined) {
        throw new StrataError(`step "${node.id}" needs a ${type} component, but the active stack has none`, {
          code: 'missing_component',
          field: type,
          value: [...(components?.keys() ?? [])].join(', ') || 'none',
          fix: `register one and add it to the stack (strata stack update <stack> --${type.replaceAll('_', '-')} NAME)`,
        });
      }
      return found as T;
    },
  };
}
