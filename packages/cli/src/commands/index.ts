import type { Command } from '@commander-js/extra-typings';

export type GlobalCommand = Command<[], { debug?: true; stack?: string }>;

export interface CommandGroup {
  readonly name: string;
  readonly description: string;
  /** Imports the group's command files (cheap: they declare options; actions import the rest). */
  load(): Promise<{ register(program: GlobalCommand): void }>;
}

const component = (name: string, what: string): CommandGroup => ({
  name,
  description: `register, list, describe, update, rename and delete ${what} components; list their flavors`,
  load: async () => {
    const { registerComponentGroup } = await import('./component/index.js');
    return { register: (program) => registerComponentGroup(program, name) };
  },
});

/** Every top-level command, in help order. */
export const commandGroups: readonly CommandGroup[] = [
  {
    name: 'init',
    description: 'create a Strata project here (.strata/ with the default stack)',
    load: () => import('./init.js'),
  },
  {
    name: 'run',
    description: 'run a pipeline defined in FILE on the active (or --stack) stack',
    load: () => import('./run.js'),
  },
  {
    name: 'stack',
    description: 'register, set, list, describe, validate, export and import stacks',
    load: () => import('./stack/index.js'),
  },
  component('orchestrator', 'orchestrator'),
  component('artifact-store', 'artifact store'),
  component('model-registry', 'model registry'),
  component('deployer', 'deployer'),
  component('experiment-tracker', 'experiment tracker'),
  component('alerter', 'alerter'),
  {
    name: 'secret',
    description: 'set, list and delete secrets (values are never printed)',
    load: () => import('./secret/index.js'),
  },
  {
    name: 'runs',
    description: 'list, show, follow logs of, resume and cancel runs',
    load: () => import('./runs/index.js'),
  },
  {
    name: 'cache',
    description: "explain a step's cache hit or miss: every part of its key and what changed",
    load: () => import('./cache/index.js'),
  },
  {
    name: 'pipelines',
    description: 'list pipelines that have runs',
    load: () => import('./pipelines/index.js'),
  },
  {
    name: 'artifacts',
    description: 'list, show, trace the lineage of and export artifacts',
    load: () => import('./artifacts/index.js'),
  },
  {
    name: 'models',
    description: 'list, show, promote and roll back registered model versions',
    load: () => import('./models/index.js'),
  },
  {
    name: 'doctor',
    description: 'check the store, blobs, temporary leftovers and stuck runs; --repair fixes what is safe',
    load: () => import('./doctor.js'),
  },
  {
    name: 'serve',
    description: 'serve MODEL@alias over HTTP, following promotions and rollbacks',
    load: () => import('./serve.js'),
  },
  {
    name: 'server',
    description: 'start the HTTP API server; create, list and revoke its API tokens',
    load: () => import('./server/index.js'),
  },
  {
    name: 'ui',
    description: 'open the dashboard: serve this project on loopback and print the URL',
    load: () => import('./ui.js'),
  },
  {
    name: 'connect',
    description: "make this project's read commands and model actions go through a Strata server",
    load: () => import('./connect.js'),
  },
  {
    name: 'disconnect',
    description: 'read the metadata store directly again (undoes connect)',
    load: () => import('./disconnect.js'),
  },
  {
    name: 'worker',
    description: "run a Temporal worker for the stack (its orchestrator's flavor must be temporal)",
    load: () => import('./worker.js'),
  },
  {
    name: 'schedule',
    description: 'create, list, describe, pause, resume, trigger, delete pipeline schedules; their history',
    load: () => import('./schedule/index.js'),
  },
  {
    name: 'trigger',
    description: 'runs on new data, model health, run completion or a code change: create, list, history…',
    load: () => import('./trigger/index.js'),
  },
  {
    name: 'agent',
    description: 'fire schedules and triggers (foreground); `agent status` shows the running agents',
    load: () => import('./agent/index.js'),
  },
  {
    name: 'migrate',
    description: 'show the metadata schema version (status) or apply pending migrations (up)',
    load: () => import('./migrate/index.js'),
  },
  {
    name: 'export',
    description: 'write the whole metadata store to FILE (JSON lines), e.g. to move it to PostgreSQL',
    load: () => import('./export.js'),
  },
  {
    name: 'import',
    description: 'load a `strata export` FILE into an empty metadata store',
    load: () => import('./import.js'),
  },
  {
    name: 'completion',
    description: 'print a bash or zsh completion script',
    load: () => import('./completion.js'),
  },
];
