import type { Group } from './index.js';

/**
 * `-o/--orchestrator`, `-a/--artifact-store`, `-r/--model-registry`, `-d/--deployer`,
 * `-e/--experiment-tracker` on register and update.
 */
export function componentOptions<G extends Group>(command: G) {
  return command
    .option('-o, --orchestrator <name>', 'orchestrator component')
    .option('-a, --artifact-store <name>', 'artifact store component')
    .option('-r, --model-registry <name>', 'model registry component')
    .option('-d, --deployer <name>', 'deployer component')
    .option('-e, --experiment-tracker <name>', 'experiment tracker component')
    .option('--alerter <name>', 'alerter component (webhook, log)');
}

export interface ComponentFlags {
  orchestrator?: string;
  artifactStore?: string;
  modelRegistry?: string;
  deployer?: string;
  experimentTracker?: string;
  alerter?: string;
}

/** Flags -> stored component types; the empty string ('' given on the command line) removes an optional one. */
export function componentsFromFlags(flags: ComponentFlags): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  const pairs: [string, string | undefined][] = [
    ['orchestrator', flags.orchestrator],
    ['artifact_store', flags.artifactStore],
    ['model_registry', flags.modelRegistry],
    ['deployer', flags.deployer],
    ['experiment_tracker', flags.experimentTracker],
    ['alerter', flags.alerter],
  ];
  for (const [type, value] of pairs) if (value !== undefined) out[type] = value === '' ? null : value;
  return out;
}
