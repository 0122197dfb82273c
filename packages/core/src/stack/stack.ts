import type { ArtifactStore } from '../artifact-store/artifact-store.js';
import type { MaterializerRegistry } from '../materializers/registry.js';
import type { JsonValue } from '../metadata/records.js';
import type { StrataDatabase } from '../metadata/strata-database.js';
import type { Orchestrator } from '../orchestrator/orchestrator.js';
import type { StepRunnerFactory } from '../runner/step-runner-factory.js';
import type { SourceFingerprints } from '../source/fingerprint-sources.js';
import { type ComponentKey, componentTypeOf } from './component-token.js';

/** A configured component as recorded with each run (secret values already replaced by references). */
export interface ComponentDescription {
  readonly name: string;
  readonly flavor: string;
  readonly config: JsonValue;
}

/**
 * The resolved, ready-to-use set of components a pipeline runs on. Code never names a concrete
 * flavor: `strata stack set` swaps every member without touching the pipeline.
 */
export interface Stack {
  readonly name: string;
  readonly projectRoot: string;
  readonly orchestrator: Orchestrator;
  readonly artifactStore: ArtifactStore;
  readonly database: StrataDatabase;
  readonly materializers: MaterializerRegistry;
  /** Optional components by type (model_registry, deployer, …), looked up by the code that needs them. */
  readonly extras: ReadonlyMap<string, unknown>;
  /** type -> description, stored in each run's environment. */
  readonly components: Readonly<Record<string, ComponentDescription>>;
  /**
   * The command that runs one step in a fresh process (`strata step run` or its library equivalent);
   * orchestrators append `--run ID --step NODE --index I`. Set by @strata/project.
   */
  readonly stepCommand?: readonly string[];
  /** Fingerprints the sources steps read (core's file and http(s), plus the plugins' object stores). */
  readonly sources?: SourceFingerprints;
  /**
   * The one StepRunner factory (resolved from the stack's container): every orchestrator, step-entry
   * program and worker gets its runner here, with the stack's components, materializers, database,
   * artifact store and source fingerprints.
   */
  readonly stepRunner: StepRunnerFactory;
  close(): Promise<void>;
}

/** A stack's component by token or type name, or undefined when the stack has none. */
export function stackComponent<T>(
  stack: Partial<Pick<Stack, 'extras'>>,
  key: ComponentKey<T>,
): T | undefined {
  return stack.extras?.get(componentTypeOf(key)) as T | undefined;
}
