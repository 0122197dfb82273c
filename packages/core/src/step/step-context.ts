import type { ArtifactRecord, JsonValue, LogLevel } from '../metadata/records.js';
import type { ComponentToken } from '../stack/component-token.js';

export interface StepLogger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** What a running step knows about itself and can record. */
export interface StepContext {
  readonly runId: string;
  readonly stepRunId: string;
  readonly nodeId: string;
  readonly stepName: string;
  readonly pipelineName: string;
  /** The element index for an instance of a mapped step, -1 otherwise. */
  readonly mapIndex: number;
  readonly attempt: number;
  /** Lines are stored with the step run and shown by `strata runs logs`. */
  readonly logger: StepLogger;
  /**
   * Attaches metrics or other metadata to the step run, or to one of its outputs with `{ output }`.
   * Values must be JSON.
   */
  log(metadata: Record<string, JsonValue>, options?: { output?: string }): void;
  /** Logical URI of an output, stable before the bytes are written: `strata://runs/<run>/<node>/<output>`. */
  outputUri(name: string): string;
  /** A private directory that is deleted after the step. */
  readonly scratchDir: string;
  /** Aborted when the step times out or the run is cancelled. */
  readonly signal: AbortSignal;
  /**
   * A component of the active stack, by its token (`context.component(ModelRegistry)`, typed) or by
   * its type's name (`'model_registry'`, typed by the caller); throws a StrataError naming the type
   * when the stack has none.
   */
  component<T>(token: ComponentToken<T>): T;
  component<T = unknown>(type: string): T;
  /** The artifact rows behind an input (one, or a fan-in's list), e.g. to register a model by artifact id. */
  inputArtifacts(name: string): readonly ArtifactRecord[];
  /**
   * Loads a stored artifact that is not an input (a registry version's model, an earlier run's output)
   * with the stack's artifact store and materializers, plugins' included, checking its bytes as inputs are.
   */
  loadArtifact(artifact: ArtifactRecord): Promise<unknown>;
}

export type LogSink = (level: LogLevel, message: string) => void;
