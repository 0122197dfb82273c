import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PipelineDefinition, Stack } from '@strata/core';
import { isPipeline, StrataError } from '@strata/core';
import { readRunSnapshot } from '@strata/core/plugin';
import { compiledPipelineModule } from './pipeline-module.js';
import { packageToAdd } from './running-strata.js';

/**
 * Lets Node import the user's TypeScript (idempotent): for a `.ts` pipeline file that
 * pipeline-module.ts cannot compile into one module, and for TypeScript plugins. By default registers Strata's own light hooks
 * (hooks/typescript-hooks.mjs: esbuild with a compile cache, about 0.1 s of CPU less per process than
 * tsx); `file` ending in .tsx or .cts, or STRATA_TS_LOADER=tsx, registers tsx instead (tsconfig
 * `paths`, JSX, CommonJS TypeScript). A process started with `--import tsx` needs neither.
 *
 * Module hooks run on a loader thread and every import made after registration takes a round trip
 * through them, so call this as late as possible: after the stack (the SDK, the metadata store,
 * the plugins) is loaded, right before importing the user's module. (tsx's scoped `tsImport` is no
 * way out: it tags every module the user's file imports with a namespace, so `@strata/core` would
 * load a second time and the pipeline would not be the CLI's.)
 */
let registered: 'strata' | 'tsx' | undefined;
export async function enableTypeScript(file?: string): Promise<void> {
  if (registered === 'tsx' || process.execArgv.some((a) => /(^|[/=])tsx(\/|$)/.test(a))) return;
  const wantTsx = process.env.STRATA_TS_LOADER === 'tsx' || (file !== undefined && /\.(tsx|cts)$/.test(file));
  if (wantTsx) {
    const { register } = await import('tsx/esm/api');
    register();
    registered = 'tsx';
    return;
  }
  if (registered) return;
  const { register } = await import('node:module');
  // Source maps: stack traces, and so the call sites that step code hashes read, name original lines.
  process.setSourceMapsEnabled(true);
  register(new URL('../hooks/typescript-hooks.mjs', import.meta.url));
  registered = 'strata';
}

const TYPESCRIPT_FILE = /\.[mc]?tsx?$/;

/**
 * The URL to import for FILE: a `.ts`/`.mts` file compiled in this thread into one cached module
 * (pipeline-module.ts: no loader thread), else the file itself once the loader hooks (or tsx) are
 * registered. STRATA_TS_LOADER=hooks uses the hooks, =tsx tsx.
 */
async function moduleUrl(file: string): Promise<string> {
  const path = resolve(file);
  if (!TYPESCRIPT_FILE.test(file)) return pathToFileURL(path).href;
  const inThread =
    /\.m?ts$/.test(file) &&
    process.env.STRATA_TS_LOADER !== 'tsx' &&
    process.env.STRATA_TS_LOADER !== 'hooks' &&
    registered !== 'tsx' &&
    !process.execArgv.some((a) => /(^|[/=])tsx(\/|$)/.test(a));
  const compiled = inThread ? await compiledPipelineModule(path) : undefined;
  if (compiled !== undefined) {
    // Source maps: stack traces, and so the call sites that step code hashes read, name original lines.
    process.setSourceMapsEnabled(true);
    return compiled;
  }
  await enableTypeScript(file);
  return pathToFileURL(path).href;
}

/** Imports FILE and returns the one pipeline it exports (or the one named `name`). */
export async function loadPipelineFile(file: string, name?: string): Promise<PipelineDefinition> {
  let module: Record<string, unknown>;
  try {
    module = (await import(await moduleUrl(file))) as Record<string, unknown>;
  } catch (error) {
    const message = error instanceof Error ? error.message : `a non-Error value: ${String(error)}`;
    const notFound = (error as NodeJS.ErrnoException | null)?.code === 'ERR_MODULE_NOT_FOUND';
    // "Cannot find module X imported from FILE" names FILE too: only a missing FILE itself is "no such file".
    if (notFound && !existsSync(resolve(file))) {
      throw new StrataError(`run file ${file} does not exist`, {
        code: 'no_such_file',
        field: 'file',
        value: file,
        fix: 'check the path',
      });
    }
    if (notFound) {
      const missing = /Cannot find (?:module|package) '([^']+)'/.exec(message)?.[1] ?? 'a module';
      throw new StrataError(`run file ${file} imports ${missing}, which cannot be found`, {
        code: 'missing_dependency',
        field: 'file',
        value: missing,
        fix:
          missing.startsWith('.') || missing.startsWith('/')
            ? 'check the import path in the file'
            : // Strata's packages are not on the npm registry: a missing one is added from the running Strata.
              `install it in the project (pnpm add ${packageToAdd(missing)})`,
        cause: error,
      });
    }
    throw new StrataError(`run file ${file} could not be imported: ${message.split('\n')[0]}`, {
      code: 'invalid_run_file',
      field: 'file',
      value: file,
      fix: 'give a .ts or .js module that exports a pipeline; run with --debug for the stack trace',
      cause: error,
    });
  }
  const pipelines = Object.values(module).filter(isPipeline);
  const chosen = name === undefined ? pipelines : pipelines.filter((p) => p.name === name);
  if (chosen.length === 1) return chosen[0]!;
  if (chosen.length === 0) {
    throw new StrataError(`${file} exports no pipeline${name === undefined ? '' : ` named "${name}"`}`, {
      code: 'pipeline_not_found',
      field: 'file',
      value: file,
      fix:
        pipelines.length > 0
          ? `choose one of: ${pipelines.map((p) => p.name).join(', ')} (--pipeline NAME)`
          : 'export the value returned by pipeline({...}) from the file: export const training = pipeline({...})',
    });
  }
  throw new StrataError(`${file} exports several pipelines: ${chosen.map((p) => p.name).join(', ')}`, {
    code: 'several_pipelines',
    field: 'file',
    value: file,
    fix: 'choose one with --pipeline NAME',
  });
}

/** The pipeline definition of a recorded run, from the module its snapshot names (with the loader's errors). */
export async function loadRunPipeline(stack: Stack, runId: string): Promise<PipelineDefinition> {
  const { snapshot } = await readRunSnapshot(stack, runId);
  const path = isAbsolute(snapshot.module) ? snapshot.module : join(stack.projectRoot, snapshot.module);
  return loadPipelineFile(path, snapshot.pipeline);
}
