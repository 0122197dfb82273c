import { isAbsolute, join } from 'node:path';
import { type ArtifactStore, defineFlavor, definePlugin, secret } from '@strata/core/plugin';
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
    return (_config, context) =>
      new LocalModelRegistry(context.database, async () =>
        context.component?.<ArtifactStore>('artifact_store'),
      );
  },
});

export const logAlerterConfig = z.object({
  file: z
    .string()
    .optional()
    .describe('append JSON lines to this file (relative to the project root); default stderr'),
});

export const logAlerterFlavor = defineFlavor({
  type: 'alerter',
  name: 'log',
  description: 'Writes each alert as one JSON line to stderr or a file.',
  config: logAlerterConfig,
  async load() {
    const { LogAlerter } = await import('./alerters.js');
    const { appendFile } = await import('node:fs/promises');
    return (config, context) => {
      const file =
        config.file === undefined
          ? undefined
          : isAbsolute(config.file)
            ? config.file
            : join(context.projectRoot, config.file);
      return new LogAlerter((line) => (file ? appendFile(file, line) : void process.stderr.write(line)));
    };
  },
});

export const webhookAlerterConfig = z.object({
  url: secret(z.string().min(1)).describe('where to POST; use a secret reference, e.g. {{secret.slack.url}}'),
  format: z
    .enum(['json', 'slack'])
    .default('json')
    .describe('json: the event itself; slack: a Slack message'),
  timeoutMs: z.number().int().min(100).default(5000).describe('per attempt'),
  retries: z.number().int().min(0).max(5).default(2).describe('retries on 5xx, 429 and network errors'),
  headers: z.record(z.string(), z.string()).default({}).describe('extra request headers'),
});

export const webhookAlerterFlavor = defineFlavor({
  type: 'alerter',
  name: 'webhook',
  description: 'POSTs each alert as JSON, or as a Slack-compatible message, to a URL.',
  config: webhookAlerterConfig,
  async load() {
    const { WebhookAlerter, checkWebhookUrl } = await import('./alerters.js');
    return (config) => new WebhookAlerter({ ...config, url: checkWebhookUrl(config.url) });
  },
});

export const localPlugin = definePlugin('@strata/local', [
  localOrchestratorFlavor,
  localArtifactStoreFlavor,
  localModelRegistryFlavor,
  logAlerterFlavor,
  webhookAlerterFlavor,
]);
