import { isAbsolute, join } from 'node:path';
import { defineFlavor, definePlugin } from '@strata/core';
import { z } from 'zod';

export const localOrchestratorConfig = z.object({
  concurrency: z.number().int().min(1).max(256).default(4).describe('step instances running at once'),
  isolation: z
    .enum(['in-process', 'process'])
    .default('in-process')
    .describe('run steps in this process, or each in a child process through the step entry point'),
  echoLogs: z.boolean().default(false).describe('print step log lines to stderr as they happen'),
});

export const localArtifactStoreConfig = z.object({
  path: z
    .string()
    .min(1)
    .default('.strata/artifacts')
    .describe('directory, relative to the project root or absolute'),
});

export const localOrchestratorFlavor = defineFlavor({
  type: 'orchestrator',
  name: 'local',
  description: 'Runs steps on this machine, concurrently, in-process or in child processes.',
  config: localOrchestratorConfig,
  async load() {
    const { LocalOrchestrator } = await import('./local-orchestrator.js');
    return (config) => new LocalOrchestrator(config);
  },
});

export const localArtifactStoreFlavor = defineFlavor({
  type: 'artifact_store',
  name: 'local',
  description: 'A content-addressed directory on this machine.',
  config: localArtifactStoreConfig,
  async load() {
    const { LocalArtifactStore } = await import('./local-artifact-store.js');
    return (config, context) =>
      new LocalArtifactStore(isAbsolute(config.path) ? config.path : join(context.projectRoot, config.path));
  },
});

export const localModelRegistryFlavor = defineFlavor({
  type: 'model_registry',
  name: 'local',
  description: 'Models, versions and alias history in the project metadata store (SQLite or PostgreSQL).',
  config: z.object({}),
  async load() {
    const { LocalModelRegistry } = await import('./local-model-registry.js');
    return (_config, context) => new LocalModelRegistry(context.database);
  },
});

export const localPlugin = definePlugin('@strata/local', [
  localOrchestratorFlavor,
  localArtifactStoreFlavor,
  localModelRegistryFlavor,
]);
