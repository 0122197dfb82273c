export * from './run-step.js';
export * from './script-command.js';
export * from './temporary-stack.js';
