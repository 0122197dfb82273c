import { defineFlavor, definePlugin, givenTogether, secret } from '@strata/core/plugin';
import { z } from 'zod';

/** How to reach an MLflow tracking server; shared by both flavors. */
const connection = {
  url: z
    .url({ protocol: /^https?$/ })
    .describe('MLflow tracking server, e.g. http://127.0.0.1:5000 (no /api path)'),
  token: secret(z.string().min(1))
    .optional()
    .describe('bearer token (managed MLflow, or a proxy in front of it), usually {{secret.NAME.KEY}}'),
  username: z.string().min(1).optional().describe("user of MLflow's basic-auth app"),
  password: secret(z.string().min(1))
    .optional()
    .describe("password of MLflow's basic-auth app, usually {{secret.NAME.KEY}}"),
  timeoutMs: z.number().int().min(100).max(600_000).default(15_000).describe('per-request timeout'),
};

export const mlflowModelRegistryConfig = givenTogether(
  z.object(connection),
  ['username', 'password'],
  'the token or no authentication',
);
export type MlflowModelRegistryConfig = z.output<typeof mlflowModelRegistryConfig>;

export const mlflowExperimentTrackerConfig = givenTogether(
  z.object({
    ...connection,
    experiment: z
      .string()
      .min(1)
      .optional()
      .describe('MLflow experiment for every run; default: one experiment per pipeline, named after it'),
    nested: z
      .boolean()
      .default(true)
      .describe('one nested MLflow run per step run, with the metrics and metadata it logged'),
    required: z
      .boolean()
      .default(false)
      .describe('fail the pipeline run when MLflow cannot record it (default: warn and go on)'),
  }),
  ['username', 'password'],
  'the token or no authentication',
);
export type MlflowExperimentTrackerConfig = z.output<typeof mlflowExperimentTrackerConfig>;

export const mlflowModelRegistryFlavor = defineFlavor({
  type: 'model_registry',
  name: 'mlflow',
  description:
    "MLflow's model registry (REST): versions, aliases and tags in MLflow, model bytes in the stack's artifact store.",
  config: mlflowModelRegistryConfig,
  async load() {
    const { MlflowModelRegistry } = await import('./model-registry.js');
    return (config, context) => new MlflowModelRegistry(config, context);
  },
});

export const mlflowExperimentTrackerFlavor = defineFlavor({
  type: 'experiment_tracker',
  name: 'mlflow',
  description: 'Each pipeline run an MLflow run (params, step metrics, tags back to Strata), steps nested.',
  config: mlflowExperimentTrackerConfig,
  async load() {
    const { MlflowExperimentTracker } = await import('./experiment-tracker.js');
    return (config, context) => new MlflowExperimentTracker(config, context.componentName);
  },
});

export const mlflowPlugin = definePlugin('@strata/mlflow', [
  mlflowModelRegistryFlavor,
  mlflowExperimentTrackerFlavor,
]);
