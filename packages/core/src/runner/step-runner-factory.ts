import type { ArtifactStore } from '../artifact-store/artifact-store.js';
import type { MaterializerRegistry } from '../materializers/registry.js';
import type { LogLine } from '../metadata/records.js';
import type { StrataDatabase } from '../metadata/strata-database.js';
import type { SourceFingerprints } from '../source/fingerprint-sources.js';
import {
  ARTIFACT_STORE,
  COMPONENTS,
  DATABASE,
  MATERIALIZERS,
  SOURCES,
  STEP_RUNNER_FACTORY,
} from '../stack/tokens.js';
import { ContainerModule } from '../vendor/inversify.js';
import { StepRunner } from './step-runner.js';

/** What a caller may choose about its runner; everything else comes from the stack. */
export interface StepRunnerOptions {
  /** Live sink for log lines (CLI progress, container stdout). */
  readonly echo?: (line: LogLine) => void;
}

/** `stack.stepRunner()`: the only way orchestrators, step-entry programs and workers get a StepRunner. */
export type StepRunnerFactory = (options?: StepRunnerOptions) => StepRunner;

/** What a stack resolves for every runner it builds. */
export interface StepRunnerParts {
  readonly database: StrataDatabase;
  readonly artifactStore: ArtifactStore;
  readonly materializers: MaterializerRegistry;
  /** The stack's components by type, served to steps through `context.component()`. */
  readonly components: ReadonlyMap<string, unknown>;
  readonly sources?: SourceFingerprints | undefined;
}

export function stepRunnerFactory(parts: StepRunnerParts): StepRunnerFactory {
  return (options = {}) =>
    new StepRunner({
      database: parts.database,
      artifactStore: parts.artifactStore,
      materializers: parts.materializers,
      components: parts.components,
      ...(parts.sources ? { sources: parts.sources } : {}),
      ...(options.echo ? { echo: options.echo } : {}),
    });
}

/**
 * Binds the StepRunner factory in a stack's container, from what the stack builder bound there: the
 * database, artifact store, materializers, components and source fingerprints.
 */
export const stepRunnerModule: ContainerModule = new ContainerModule(({ bind }) => {
  bind<StepRunnerFactory>(STEP_RUNNER_FACTORY).toDynamicValue((context) =>
    stepRunnerFactory({
      database: context.get<StrataDatabase>(DATABASE),
      artifactStore: context.get<ArtifactStore>(ARTIFACT_STORE),
      materializers: context.get<MaterializerRegistry>(MATERIALIZERS),
      components: context.get<ReadonlyMap<string, unknown>>(COMPONENTS),
      sources: context.get<SourceFingerprints>(SOURCES, { optional: true }),
    }),
  );
});
