import type { ArtifactStore } from '../artifact-store/artifact-store.js';
import type { Orchestrator } from '../orchestrator/orchestrator.js';
import type { Flavor } from './flavor.js';

/** inversify service identifiers: plugins bind flavors, the stack builder binds the chosen components. */
export const FLAVOR: symbol = Symbol.for('strata.Flavor');
export const ORCHESTRATOR: symbol = Symbol.for('strata.Orchestrator');
export const ARTIFACT_STORE: symbol = Symbol.for('strata.ArtifactStore');
export const MODEL_REGISTRY: symbol = Symbol.for('strata.ModelRegistry');
export const DEPLOYER: symbol = Symbol.for('strata.Deployer');
/** Plugins bind their source fingerprinters (s3, gs, az) here; the stack collects them. */
export const SOURCE_FINGERPRINTER: symbol = Symbol.for('strata.SourceFingerprinter');

export function componentToken(type: string): symbol {
  return Symbol.for(`strata.component.${type}`);
}

export type { ArtifactStore, Flavor, Orchestrator };
