export * from './alerters.js';
export * from './flavor.js';
export { localPlugin as plugin } from './flavor.js';
export * from './local-artifact-store.js';
export * from './local-model-registry.js';
export * from './local-orchestrator.js';
