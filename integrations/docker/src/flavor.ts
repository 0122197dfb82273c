import { defineFlavor, definePlugin, type StackDraft, secret } from '@strata/core/plugin';
import { z } from 'zod';
import { dockerHost } from './docker-host.js';
import { dockerStepSettings } from './step-settings.js';

export const dockerOrchestratorConfig = z.object({
  host: z
    .string()
    .min(1)
    .optional()
    .describe(
      'Docker engine: unix:///var/run/docker.sock (default: DOCKER_HOST, then the local socket) or tcp://HOST:PORT',
    ),
  baseImage: z
    .string()
    .min(1)
    .default('strata-node-base:20')
    .describe('image with node on PATH that project images are built FROM'),
  imageRepository: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._/-]*$/)
    .default('strata-project')
    .describe('repository of the project images; the tag is a content hash'),
  codeSource: z
    .enum(['mount', 'image'])
    .default('mount')
    .describe(
      'mount: the workspace is bind-mounted read-only (single host); image: code and node_modules are copied into the image',
    ),
  workspaceRoot: z
    .string()
    .min(1)
    .optional()
    .describe('directory holding the lockfile and node_modules (default: nearest ancestor with a lockfile)'),
  exclude: z
    .array(z.string().min(1))
    .default([])
    .describe('extra paths left out of the image: names, "*.ext", or "dir/sub" prefixes'),
  registry: z
    .object({
      url: z.string().min(1).describe('registry host[:port][/namespace] to push project images to'),
      username: z.string().optional(),
      password: secret(z.string()).optional(),
    })
    .optional(),
  concurrency: z.number().int().min(1).max(64).default(2).describe('step containers running at once'),
  defaults: dockerStepSettings
    .default({})
    .describe('cpus, memory, gpus, env, mounts for every step (per-step settings override)'),
  network: z
    .string()
    .min(1)
    .optional()
    .describe('network mode of step containers: bridge, host, none or a network name'),
  removeContainers: z.boolean().default(true).describe('remove each step container when it ends'),
  streamLogs: z.boolean().default(true).describe('print container output live to stderr'),
  timeoutGraceMs: z
    .number()
    .int()
    .min(0)
    .default(10_000)
    .describe('container start-up allowance added to a step timeout before the container is killed'),
  errorTailLines: z
    .number()
    .int()
    .min(0)
    .max(1000)
    .default(20)
    .describe('container output lines kept in a failed step error'),
});
export type DockerOrchestratorConfig = z.output<typeof dockerOrchestratorConfig>;

/**
 * Containers on another host cannot see this machine's files: a local artifact store, a SQLite
 * metadata store or a bind-mounted workspace only work when the Docker engine runs here.
 */
export function validateDockerStack(draft: StackDraft): string[] {
  const orchestrator = draft.components.orchestrator;
  if (orchestrator?.flavor.name !== 'docker') return [];
  const config = orchestrator.config as DockerOrchestratorConfig;
  const host = dockerHost(config.host);
  if (host.local) return [];
  const problems: string[] = [];
  const where = `the docker orchestrator runs containers on ${host.url}, another machine`;
  if (draft.components.artifact_store?.flavor.name === 'local') {
    problems.push(
      `${where}, which cannot reach this machine's local artifact store: use an s3, gcs or azure artifact store, or point the orchestrator's host at this machine (unix:///var/run/docker.sock)`,
    );
  }
  if (!draft.database.shared) {
    problems.push(
      `${where}, which cannot reach the SQLite metadata store ${draft.database.url}: use a PostgreSQL metadata store both can reach (databaseUrl in .strata/config.json or STRATA_DATABASE_URL)`,
    );
  }
  if (config.codeSource === 'mount') {
    problems.push(
      `${where}, which cannot mount this machine's workspace: set codeSource to "image" (and a registry if other hosts run it)`,
    );
  }
  return problems;
}

export const dockerOrchestratorFlavor = defineFlavor({
  type: 'orchestrator',
  name: 'docker',
  description: 'Runs every step in its own container on a Docker engine.',
  config: dockerOrchestratorConfig,
  async load() {
    const { DockerOrchestrator } = await import('./docker-orchestrator.js');
    return (config, context) => new DockerOrchestrator(config, context.projectRoot);
  },
  validateStack: validateDockerStack,
});

export const dockerPlugin = definePlugin('@strata/docker', [dockerOrchestratorFlavor]);
