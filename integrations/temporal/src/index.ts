export type { StrataActivities } from './activities.js';
export * from './flavor.js';
export { temporalPlugin as plugin } from './flavor.js';
export type * from './plan.js';
export * from './progress.js';
export * from './schedules.js';
export * from './temporal-orchestrator.js';
export * from './worker.js';
