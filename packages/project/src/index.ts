import { setStackResolver } from '@strata/core';
import { openStack } from './open-project.js';

export * from './build-stack.js';
export * from './default-stack.js';
export * from './open-project.js';
export * from './plugins.js';
export * from './project-config.js';
export * from './project-root.js';
export * from './secrets.js';
export * from './step-command.js';

// Importing the project package makes `pipeline.run()` (with no explicit stack) use the active stack.
setStackResolver((options) => openStack(options));
