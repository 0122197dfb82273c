import { setStackResolver } from '@strata/core/plugin';
import { openStack } from './open-project.js';

export * from './build-stack.js';
export * from './components.js';
export * from './config-schema.js';
export * from './database-url.js';
export * from './default-stack.js';
export * from './init-project.js';
export * from './open-project.js';
export * from './pipeline-file.js';
export * from './plugin-checks.js';
export * from './plugins.js';
export * from './project-config.js';
export * from './project-root.js';
export * from './quick-catalog.js';
export * from './run-config.js';
export * from './secret-users.js';
export * from './secrets.js';
export * from './stack-component.js';
export * from './stack-yaml.js';
export * from './stacks.js';
export * from './step-command.js';
export * from './stopped-step-recorder.js';

// Importing the project package makes `pipeline.run()` (with no explicit stack) use the active stack.
setStackResolver((options) => openStack(options));

export * from './agent/index.js';
export { resolveStrataImportsFromRunningStrata } from './strata-imports.js';
export * from './triggers/index.js';
