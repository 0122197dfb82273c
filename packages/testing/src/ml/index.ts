// Helpers for the four kinds of ML pipeline test: unit (runStep on createMlStack), integration
// (runPipelineChecked), smoke (expectMetricsWithin) and regression (compareWithBaseline).
export * from './integration.js';
export * from './metrics.js';
export * from './ml-stack.js';
