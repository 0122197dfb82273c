// The API's types, from the same zod schemas that validate requests and generate the OpenAPI document.
// Browser-safe: zod only.

export * from './actions.js';
export * from './artifacts.js';
export * from './attempts.js';
export * from './common.js';
export * from './events.js';
export * from './metrics.js';
export * from './models.js';
export * from './pipelines.js';
export * from './runs.js';
export * from './server-info.js';
export * from './snapshots.js';
export * from './stacks.js';
export * from './steps.js';
export * from './triggers.js';
