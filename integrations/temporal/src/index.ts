// Cheap to import: flavor declarations and lazy functions; the Temporal SDK loads on first use.

export type { StrataActivities } from './activities.js';
export * from './api.js';
export * from './flavor.js';
export { temporalPlugin as plugin } from './flavor.js';
export type * from './plan.js';
export type { CreateScheduleOptions, ScheduleSummary } from './schedules.js';
export type { ServeWorkerFlags } from './serve-worker.js';
export type { TemporalOrchestrator } from './temporal-orchestrator.js';
export type { StrataWorker, WorkerOptions } from './worker.js';
