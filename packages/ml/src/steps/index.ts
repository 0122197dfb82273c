// The standard components as typed Strata steps. Compose them, or replace any one with your own step
// that has the same inputs and outputs.
export { registryOf } from './components.js';
export type { EvaluationReport } from './evaluate.js';
export { evaluate } from './evaluate.js';
export { gate, gateParams } from './gate.js';
export { ingest, ingestParams } from './ingest.js';
export type { PushResult } from './push.js';
export { push } from './push.js';
export { schema } from './schema.js';
export type { StandardTrainingOptions } from './standard-training.js';
export { standardTraining, standardTrainingOutputs } from './standard-training.js';
export { statistics } from './statistics.js';
export { train, trainParams } from './train.js';
export { transform } from './transform.js';
export type { ValidationReport } from './validate.js';
export { validate, validateParams } from './validate.js';
