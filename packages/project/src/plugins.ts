import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { StrataError } from '@strata/core';
import { type AnyFlavor, isPlugin, type StrataPlugin } from '@strata/core/plugin';
import { plugin as localPlugin } from '@strata/local';
import { enableTypeScript } from './pipeline-file.js';
import { checkNoCollisions, checkPlugin } from './plugin-checks.js';
import { packageToAdd } from './running-strata.js';

/** Built in: the local flavors, so a fresh project runs with no configuration at all. */
export const builtinPlugins: readonly StrataPlugin[] = [localPlugin];

/**
 * Loads the plugins a project lists: npm package names resolved from the project root, or paths
 * relative to it. Each must export `plugin` (see docs/plugins.md). Importing a plugin only loads its
 * flavor declarations; SDKs load when a stack uses the flavor.
 */
export async function loadPlugins(root: string, specifiers: readonly string[]): Promise<StrataPlugin[]> {
  const plugins = [...builtinPlugins];
  const require = createRequire(join(root, 'package.json'));
  for (const specifier of specifiers) {
    let module: Record<string, unknown>;
    let path: string | undefined;
    try {
      path = isAbsolute(specifier)
        ? specifier
        : specifier.startsWith('.')
          ? join(root, specifier)
          : require.resolve(specifier);
      if (!existsSync(path)) throw new Error(`no file ${path}`);
    } catch (error) {
      throw new StrataError(`plugin "${specifier}" could not be loaded: ${(error as Error).message}`, {
        code: 'plugin_not_found',
        field: 'plugins',
        value: specifier,
        fix: `install it in the project (pnpm add ${packageToAdd(specifier)}) or fix the path in .strata/config.json`,
      });
    }
    try {
      // A plugin written in TypeScript (e.g. a path to src/index.ts) needs the TypeScript loader.
      if (/\.[mc]?tsx?$/.test(path)) await enableTypeScript(path);
      module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
    } catch (error) {
      // The plugin is there; what failed is its own code or one of its imports, so installing the
      // plugin again (the fix above) would not help.
      throw pluginImportFailed(specifier, error);
    }
    const candidate =
      module.plugin ?? (module.default as Record<string, unknown> | undefined)?.plugin ?? module.default;
    if (!isPlugin(candidate)) {
      throw new StrataError(`plugin "${specifier}" does not export \`plugin\``, {
        code: 'invalid_plugin',
        field: 'plugins',
        value: specifier,
        fix: 'export const plugin = definePlugin(name, [flavors]) from the package entry',
      });
    }
    checkPlugin(candidate, specifier);
    if (!plugins.some((p) => p.name === candidate.name)) plugins.push(candidate);
  }
  checkNoCollisions(plugins);
  return plugins;
}

/** The plugin's module was found but did not import: a package it imports is missing, or it threw. */
function pluginImportFailed(specifier: string, error: unknown): StrataError {
  const message = error instanceof Error ? error.message : String(error);
  const missing =
    (error as NodeJS.ErrnoException | null)?.code === 'ERR_MODULE_NOT_FOUND'
      ? /Cannot find (?:module|package) '([^']+)'/.exec(message)?.[1]
      : undefined;
  if (missing !== undefined) {
    const relative = missing.startsWith('.') || missing.startsWith('/');
    return new StrataError(`plugin "${specifier}" imports ${missing}, which cannot be found`, {
      code: 'missing_dependency',
      field: 'plugins',
      value: specifier,
      fix: relative
        ? "fix the import path in the plugin's code"
        : `install it in the project (pnpm add ${packageToAdd(missing)}), or make it a dependency of the plugin`,
      cause: error,
    });
  }
  return new StrataError(`plugin "${specifier}" failed while loading: ${message.split('\n')[0]}`, {
    code: 'invalid_plugin',
    field: 'plugins',
    value: specifier,
    fix: "fix the error in the plugin's module (--debug shows its stack trace), or remove it from .strata/config.json",
    cause: error,
  });
}

export function findFlavor(flavors: readonly AnyFlavor[], type: string, name: string): AnyFlavor {
  const flavor = flavors.find((f) => f.type === type && f.name === name);
  if (!flavor) {
    const known = flavors.filter((f) => f.type === type).map((f) => f.name);
    throw new StrataError(`unknown ${type} flavor "${name}"`, {
      code: 'unknown_flavor',
      field: 'flavor',
      value: name,
      fix:
        known.length > 0
          ? `use one of: ${known.join(', ')}, or add the plugin that provides "${name}" to .strata/config.json`
          : `no ${type} flavors are installed; add a plugin to .strata/config.json`,
    });
  }
  return flavor;
}
