// Only the flavor declarations load eagerly: `strata flavor list` and stack validation never import
// the REST client or the implementations (they load when a stack uses the flavor).

export type { MlflowExperimentTracker } from './experiment-tracker.js';
export * from './flavor.js';
export { mlflowPlugin as plugin } from './flavor.js';
export type { MlflowModelRegistry } from './model-registry.js';
export type { MlflowError } from './rest-client.js';
