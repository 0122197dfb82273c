import { parseOrThrow } from '@strata/core/plugin';
import { z } from 'zod';

const memory = z
  .union([z.number().int().positive(), z.string().regex(/^\d+(\.\d+)?\s*[kmgt]?i?b?$/i)])
  .describe('memory limit: bytes, or "512m", "2g"');

const gpus = z
  .union([
    z.literal('all'),
    z.number().int().positive(),
    z.object({
      count: z.union([z.literal('all'), z.number().int().positive()]).optional(),
      deviceIds: z.array(z.string()).optional(),
      capabilities: z.array(z.string()).optional(),
      driver: z.string().optional(),
    }),
  ])
  .describe('GPU device request: "all", a count, or { count | deviceIds, capabilities, driver }');

export const mountSchema = z.object({
  source: z.string().min(1).describe('absolute path on the Docker host'),
  target: z.string().min(1).describe('absolute path in the container'),
  readOnly: z.boolean().default(false),
});

/** Resources and environment of one step's container: orchestrator defaults, overridden per step. */
export const dockerStepSettings = z.object({
  cpus: z.number().positive().optional().describe('CPU limit, e.g. 1.5'),
  memory: memory.optional(),
  gpus: gpus.optional(),
  env: z
    .record(z.string(), z.string())
    .optional()
    .describe('environment variables ({{secret.NAME.KEY}} allowed in the orchestrator config)'),
  mounts: z.array(mountSchema).optional(),
});
export type DockerStepSettings = z.output<typeof dockerStepSettings>;

export interface ResolvedStepSettings {
  readonly nanoCpus?: number;
  readonly memoryBytes?: number;
  readonly deviceRequests: DeviceRequest[];
  readonly env: Record<string, string>;
  readonly mounts: z.output<typeof mountSchema>[];
}

export interface DeviceRequest {
  Driver: string;
  Count: number;
  DeviceIDs?: string[];
  Capabilities: string[][];
}

/** Parses `step({ settings: { docker } })` and merges it over the orchestrator's defaults. */
export function resolveStepSettings(
  nodeId: string,
  defaults: DockerStepSettings,
  raw: unknown,
): ResolvedStepSettings {
  const step = parseOrThrow(dockerStepSettings, raw ?? {}, {
    code: 'invalid_step_settings',
    what: `step "${nodeId}"`,
    fieldPrefix: 'settings.docker',
    fix: 'see docs/docker.md for the per-step docker settings (cpus, memory, gpus, env, mounts)',
  });
  const cpus = step.cpus ?? defaults.cpus;
  const mem = step.memory ?? defaults.memory;
  const gpu = step.gpus ?? defaults.gpus;
  return {
    ...(cpus === undefined ? {} : { nanoCpus: Math.round(cpus * 1e9) }),
    ...(mem === undefined ? {} : { memoryBytes: parseMemory(mem) }),
    deviceRequests: gpu === undefined ? [] : [deviceRequest(gpu)],
    env: { ...defaults.env, ...step.env },
    mounts: [...(defaults.mounts ?? []), ...(step.mounts ?? [])],
  };
}

const units: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

export function parseMemory(value: number | string): number {
  if (typeof value === 'number') return value;
  const match = /^(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?$/i.exec(value.trim())!;
  return Math.round(Number(match[1]) * units[match[2]!.toLowerCase()]!);
}

function deviceRequest(gpu: NonNullable<DockerStepSettings['gpus']>): DeviceRequest {
  if (gpu === 'all') return { Driver: '', Count: -1, Capabilities: [['gpu']] };
  if (typeof gpu === 'number') return { Driver: '', Count: gpu, Capabilities: [['gpu']] };
  return {
    Driver: gpu.driver ?? '',
    Count: gpu.deviceIds ? 0 : gpu.count === 'all' || gpu.count === undefined ? -1 : gpu.count,
    ...(gpu.deviceIds ? { DeviceIDs: gpu.deviceIds } : {}),
    Capabilities: [gpu.capabilities ?? ['gpu']],
  };
}
