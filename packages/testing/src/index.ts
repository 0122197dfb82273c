export * from './run-step.js';
export * from './temporary-stack.js';
