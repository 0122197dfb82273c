import { defineFlavor, definePlugin, type StackDraft, secret } from '@strata/core/plugin';
import { z } from 'zod';

export const temporalOrchestratorConfig = z.object({
  address: z.string().min(1).default('127.0.0.1:7233').describe('Temporal frontend host:port'),
  namespace: z.string().min(1).default('default').describe('Temporal namespace'),
  taskQueue: z
    .string()
    .min(1)
    .default('strata')
    .describe('task queue the workers poll (a step can override it with settings.temporal.taskQueue)'),
  tls: z.boolean().default(false).describe('connect with TLS (Temporal Cloud)'),
  apiKey: secret(z.string().min(1)).optional().describe('Temporal Cloud API key; use {{secret.NAME.KEY}}'),
  stepTimeoutMs: z
    .number()
    .int()
    .positive()
    .default(3_600_000)
    .describe('start-to-close timeout of a step without its own timeoutMs'),
  heartbeatTimeoutMs: z
    .number()
    .int()
    .min(1000)
    .default(30_000)
    .describe('a step whose worker stops heartbeating this long is retried on another worker'),
  activityAttempts: z
    .number()
    .int()
    .min(1)
    .default(3)
    .describe(
      'attempts per step activity when a worker dies or the stores are unreachable (the step retry policy raises it)',
    ),
  batchSize: z
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(50)
    .describe('mapped-step instances run by one activity'),
  maxConcurrentBatches: z
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(20)
    .describe('batch activities of one mapped step pending at once'),
  continueAsNewAfterEvents: z
    .number()
    .int()
    .min(100)
    .max(40_000)
    .default(10_000)
    .describe('workflow history length that triggers continue-as-new'),
  localWorkersOnly: z
    .boolean()
    .default(false)
    .describe(
      'acknowledge that every worker runs on this machine (needed with SQLite metadata or a local artifact store)',
    ),
});
export type TemporalOrchestratorConfig = z.output<typeof temporalOrchestratorConfig>;

/**
 * Workers on other machines cannot open this machine's SQLite file or artifact directory. Such a stack
 * works only when every worker runs here, which the config must say out loud.
 */
export function validateTemporalStack(draft: StackDraft): string[] {
  const orchestrator = draft.components.orchestrator;
  if (orchestrator?.flavor.name !== 'temporal') return [];
  const config = orchestrator.config as TemporalOrchestratorConfig;
  if (config.localWorkersOnly) return [];
  const problems: string[] = [];
  if (!draft.database.shared) {
    problems.push(
      `the temporal orchestrator with the embedded SQLite metadata store (${draft.database.url}) only works when all workers run on this machine: use a PostgreSQL metadata store (STRATA_DATABASE_URL=postgres://...) for workers on other machines, or set localWorkersOnly: true on the orchestrator`,
    );
  }
  if (draft.components.artifact_store?.flavor.name === 'local') {
    problems.push(
      'the temporal orchestrator with a local artifact store only works when all workers run on this machine: use an object store (s3, gcs, azure) for workers on other machines, or set localWorkersOnly: true on the orchestrator',
    );
  }
  return problems;
}

export const temporalOrchestratorFlavor = defineFlavor({
  type: 'orchestrator',
  name: 'temporal',
  description:
    'Runs each pipeline as a durable Temporal workflow; steps run as activities on any number of `strata worker` processes.',
  config: temporalOrchestratorConfig,
  async load() {
    const { TemporalOrchestrator } = await import('./temporal-orchestrator.js');
    return (config) => new TemporalOrchestrator(config);
  },
  validateStack: validateTemporalStack,
});

export const temporalPlugin = definePlugin('@strata/temporal', [temporalOrchestratorFlavor]);
