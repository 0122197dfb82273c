export * from './artifact-store-contract.js';
export * from './fault-proxy.js';
export * from './fault-proxy-suite.js';
export * from './ml/index.js';
export * from './portability-suite.js';
export * from './run-step.js';
export * from './script-command.js';
export * from './temporary-stack.js';
