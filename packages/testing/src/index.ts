export * from './run-step.js';
export * from './script-command.js';
export * from './temporary-stack.js';
export * from './ml/index.js';
