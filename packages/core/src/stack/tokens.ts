import type { ArtifactStore } from '../artifact-store/artifact-store.js';
import type { Orchestrator } from '../orchestrator/orchestrator.js';
import type { Flavor } from './flavor.js';

/** inversify service identifiers: plugins bind flavors, the stack builder binds the chosen components. */
export const FLAVOR: symbol = Symbol.for('strata.Flavor');
export const ORCHESTRATOR: symbol = Symbol.for('strata.Orchestrator');
export const ARTIFACT_STORE: symbol = Symbol.for('strata.ArtifactStore');
/** The stack's metadata store (StrataDatabase), artifact materializers, source fingerprints. */
export const DATABASE: symbol = Symbol.for('strata.Database');
export const MATERIALIZER: symbol = Symbol.for('strata.Materializer');
export const MATERIALIZERS: symbol = Symbol.for('strata.MaterializerRegistry');
export const SOURCES: symbol = Symbol.for('strata.SourceFingerprints');
/** The stack's components by type, as served to steps (`context.component`). */
export const COMPONENTS: symbol = Symbol.for('strata.Components');
/** The one factory every orchestrator, step entry and worker gets its StepRunner from. */
export const STEP_RUNNER_FACTORY: symbol = Symbol.for('strata.StepRunnerFactory');
/** Plugins bind their source fingerprinters (s3, gs, az) here; the stack collects them. */
export const SOURCE_FINGERPRINTER: symbol = Symbol.for('strata.SourceFingerprinter');
/** Plugins bind their source readers (s3, gs, az) here, beside the fingerprinters. */
export const SOURCE_READER: symbol = Symbol.for('strata.SourceReader');

export { type ComponentKey, type ComponentToken, componentToken } from './component-token.js';

export type { ArtifactStore, Flavor, Orchestrator };
