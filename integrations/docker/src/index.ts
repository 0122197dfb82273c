export type { DockerHost } from './docker-host.js';
export type { DockerOrchestrator } from './docker-orchestrator.js';
export * from './flavor.js';
export { dockerPlugin as plugin } from './flavor.js';
export * from './labels.js';
export type { DockerStepSettings } from './step-settings.js';
