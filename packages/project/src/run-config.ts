import { readFile } from 'node:fs/promises';
import { StrataError } from '@strata/core';
import type { StepOverrides } from '@strata/core/plugin';
import { parseOrThrow } from '@strata/core/plugin';
import { z } from 'zod';

/**
 * A run config file (`strata run FILE --config run.yaml`):
 *
 *   stack: staging            # optional; --stack wins
 *   cache: false              # optional; false = every step ignores the cache (--no-cache wins)
 *   params: { trees: 50 }     # pipeline parameters; --param wins per key
 *   steps:
 *     train:                  # node id
 *       params: { depth: 6 }  # merged over the pipeline body's params for that call
 *       settings: { docker: { memory: 2g } }
 *       cache: { enabled: true, ttlSeconds: 3600 }   # or true / false
 *
 * Precedence: command-line flags > run config > code defaults.
 */
const cachePolicy = z.union([
  z.boolean(),
  z.object({ enabled: z.boolean().optional(), ttlSeconds: z.number().positive().optional() }).strict(),
]);
export const runConfigSchema = z
  .object({
    stack: z.string().min(1).optional(),
    cache: z.boolean().optional(),
    params: z.record(z.string(), z.unknown()).default({}),
    steps: z
      .record(
        z.string(),
        z
          .object({
            params: z.record(z.string(), z.unknown()).optional(),
            settings: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
            cache: cachePolicy.optional(),
          })
          .strict(),
      )
      .default({}),
  })
  .strict();
export type RunConfig = z.output<typeof runConfigSchema>;

export async function readRunConfig(path: string): Promise<RunConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new StrataError(`run config ${path} cannot be read`, {
      code: 'run_config_missing',
      field: 'config',
      value: path,
      fix: 'check the path given to --config',
    });
  }
  // yaml is loaded only when a run config is given (it is not on the path of a plain `strata run`).
  const { parse } = await import('yaml');
  let raw: unknown;
  try {
    raw = parse(text) ?? {};
  } catch (error) {
    throw new StrataError(
      `run config ${path} is not valid YAML: ${(error as Error).message.split('\n')[0]}`,
      { code: 'invalid_yaml', field: 'config', value: path, fix: 'fix the YAML syntax' },
    );
  }
  return parseOrThrow(runConfigSchema, raw, {
    code: 'invalid_run_config',
    what: `run config ${path}`,
    fix: 'allowed keys: stack, cache, params, steps.<node>.{params, settings, cache} (see docs/cli.md)',
  });
}

export interface CliRunFlags {
  readonly stack?: string;
  /** `--param k=v` values, already parsed. */
  readonly params: Readonly<Record<string, unknown>>;
  /** true when `--no-cache` was given. */
  readonly noCache: boolean;
}

export interface ResolvedRunOptions {
  readonly stack?: string;
  readonly params: Record<string, unknown>;
  readonly noCache: boolean;
  readonly overrides: StepOverrides;
}

/**
 * Command-line flags > run config > code defaults (the pipeline's and steps' own declarations). A
 * flag wins per key at every depth: `--param model.trees=50` changes that key of the run config's
 * `model` and keeps its others.
 */
export function resolveRunOptions(flags: CliRunFlags, config?: RunConfig): ResolvedRunOptions {
  const stack = flags.stack ?? config?.stack;
  return {
    ...(stack === undefined ? {} : { stack }),
    params: mergeParams(config?.params ?? {}, flags.params),
    noCache: flags.noCache || config?.cache === false,
    overrides: (config?.steps ?? {}) as StepOverrides,
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `over` on top of `base`, key by key into nested objects; anything else (arrays included) replaces. */
function mergeParams(
  base: Readonly<Record<string, unknown>>,
  over: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const under = merged[key];
    merged[key] = isPlainObject(under) && isPlainObject(value) ? mergeParams(under, value) : value;
  }
  return merged;
}

/**
 * `--param k=v`: the value is JSON when it parses (numbers, booleans, arrays), else a string. A dotted
 * name sets a key of a nested param (`--param model.trees=50` is `{ model: { trees: 50 } }`), so one
 * key of an object param can be changed without writing the whole object as JSON.
 */
export function parseParamFlags(pairs: readonly string[]): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) {
      throw new StrataError(`parameter "${pair}" is not key=value`, {
        code: 'invalid_param',
        field: 'param',
        value: pair,
        fix: `write --param ${eq === 0 || pair === '' ? 'NAME' : pair}=VALUE`,
      });
    }
    const name = pair.slice(0, eq);
    const raw = pair.slice(eq + 1);
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      value = raw;
    }
    setParam(params, name, value, pair);
  }
  return params;
}

function setParam(params: Record<string, unknown>, name: string, value: unknown, pair: string): void {
  const path = name.split('.');
  if (path.some((key) => key === '')) {
    throw new StrataError(`parameter "${name}" has an empty key (in --param ${pair})`, {
      code: 'invalid_param',
      field: 'param',
      value: pair,
      fix: 'separate nested keys with one dot: --param model.trees=50',
    });
  }
  let target = params;
  for (const [i, key] of path.slice(0, -1).entries()) {
    const current = target[key];
    if (current === undefined) target[key] = {};
    else if (!isPlainObject(current)) {
      const parent = path.slice(0, i + 1).join('.');
      throw new StrataError(
        `parameter "${name}" sets a key inside "${parent}", which another --param sets to ${JSON.stringify(current)}`,
        {
          code: 'invalid_param',
          field: 'param',
          value: pair,
          fix: `give "${parent}" once: either --param ${parent}=JSON or its keys (--param ${name}=...)`,
        },
      );
    }
    target = target[key] as Record<string, unknown>;
  }
  const last = path.at(-1)!;
  const current = target[last];
  target[last] = isPlainObject(current) && isPlainObject(value) ? mergeParams(current, value) : value;
}
