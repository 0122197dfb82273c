// Section 3 of docs/plugins.md: declare the flavors. This file must stay cheap to import: it holds the
// zod config schemas and *lazy* factories; the implementations (and any SDK they need) load in `load()`.
// `z` comes from @strata/core (the zod Strata checks configs with), so @strata/core is the plugin's
// only dependency: a project of your own adds it from the checkout (section 2).
import { isAbsolute, join } from 'node:path';
import { z } from '@strata/core';
import { defineFlavor, definePlugin, secret } from '@strata/core/plugin';

export const mirrorArtifactStoreConfig = z.object({
  path: z.string().min(1).describe('primary directory, relative to the project root or absolute'),
  mirror: z.string().min(1).describe('second directory that receives a copy of every object'),
  token: secret(z.string().min(8))
    .optional()
    .describe('write token (demo of a secret field: use {{secret.NAME.KEY}})'),
});

export const sequentialOrchestratorConfig = z.object({
  requireMirror: z
    .boolean()
    .default(false)
    .describe('refuse stacks whose artifact store is not a mirror store'),
});

const resolvePath = (root: string, path: string) => (isAbsolute(path) ? path : join(root, path));

export const mirrorArtifactStoreFlavor = defineFlavor({
  type: 'artifact_store',
  name: 'mirror',
  description: 'A directory whose every object is also copied to a mirror directory.',
  config: mirrorArtifactStoreConfig,
  async load() {
    const { MirrorArtifactStore } = await import('./mirror-artifact-store.js');
    return (config, context) =>
      new MirrorArtifactStore(
        resolvePath(context.projectRoot, config.path),
        resolvePath(context.projectRoot, config.mirror),
      );
  },
});

export const sequentialOrchestratorFlavor = defineFlavor({
  type: 'orchestrator',
  name: 'sequential',
  description: 'Runs one step at a time in this process, in pipeline order.',
  config: sequentialOrchestratorConfig,
  async load() {
    const { SequentialOrchestrator } = await import('./sequential-orchestrator.js');
    return () => new SequentialOrchestrator();
  },
  // Composition rule: checked by `strata stack register/update/set/validate`, before anything is stored.
  validateStack(stack) {
    const self = stack.components.orchestrator;
    const store = stack.components.artifact_store;
    const config = self?.config as z.output<typeof sequentialOrchestratorConfig> | undefined;
    if (config?.requireMirror && store?.flavor.name !== 'mirror') {
      return [
        `the sequential orchestrator has requireMirror set, but the artifact store is "${store?.flavor.name}"; use a mirror artifact store`,
      ];
    }
    return [];
  },
});

export const jsonFileModelRegistryConfig = z.object({
  file: z
    .string()
    .min(1)
    .default('.strata/models.json')
    .describe('the registry file, relative to the project root'),
});

export const jsonFileModelRegistryFlavor = defineFlavor({
  type: 'model_registry',
  name: 'json-file',
  description: 'Models, versions and alias history in one JSON file.',
  config: jsonFileModelRegistryConfig,
  async load() {
    const { JsonFileModelRegistry } = await import('./json-file-model-registry.js');
    // `context.component('artifact_store')` lets it check a version's bytes before it moves an alias.
    return (config, context) =>
      new JsonFileModelRegistry(resolvePath(context.projectRoot, config.file), context);
  },
});

export const jsonlExperimentTrackerConfig = z.object({
  file: z
    .string()
    .min(1)
    .default('experiments.jsonl')
    .describe('JSON lines file, relative to the project root'),
  required: z.boolean().default(false).describe('fail the pipeline run when the tracker cannot record it'),
});

export const jsonlExperimentTrackerFlavor = defineFlavor({
  type: 'experiment_tracker',
  name: 'jsonl',
  description: 'Each pipeline run as JSON lines: params, step metrics, status.',
  config: jsonlExperimentTrackerConfig,
  async load() {
    const { JsonlExperimentTracker } = await import('./jsonl-experiment-tracker.js');
    return (config, context) =>
      new JsonlExperimentTracker(resolvePath(context.projectRoot, config.file), config.required);
  },
});

export const markdownAlerterConfig = z.object({
  file: z.string().min(1).default('alerts.md').describe('Markdown file, relative to the project root'),
});

export const markdownAlerterFlavor = defineFlavor({
  type: 'alerter',
  name: 'markdown',
  description: 'Appends each alert as a Markdown section to a file.',
  config: markdownAlerterConfig,
  async load() {
    const { MarkdownAlerter } = await import('./markdown-alerter.js');
    return (config, context) => new MarkdownAlerter(resolvePath(context.projectRoot, config.file));
  },
});

export const plugin = definePlugin('@strata-examples/custom-plugin', [
  mirrorArtifactStoreFlavor,
  sequentialOrchestratorFlavor,
  jsonFileModelRegistryFlavor,
  jsonlExperimentTrackerFlavor,
  markdownAlerterFlavor,
]);
