import Module, { register } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { checkoutPackages, strataDirs } from './running-strata.js';

/**
 * Where a `@strata/…` import the user's project cannot resolve is looked up instead: the running
 * Strata's own package folders (what they depend on), then each package of its checkout (a package
 * resolves its own name). Parents are files in those folders, whether or not the file exists.
 */
function fallbackParents(): string[] {
  return [...strataDirs(), ...checkoutPackages().values()].map((dir) => join(dir, 'strata-import.js'));
}

let installed = false;

/**
 * For processes that import a user's pipeline module through Node's loaders (a step process, a
 * Docker container, a Temporal worker): a project with no Strata packages installed (README.md,
 * "Your own project") gets `@strata/*` from the running Strata, as `strata run` gives it
 * (pipeline-module.ts); a package the project installed still wins, since only a failed resolution
 * falls back. Both of Node's resolvers: tsx compiles a `.ts` file in a package without
 * `"type": "module"` (or with no package.json) to CommonJS, whose `require` never reaches an ES
 * module hook. Idempotent.
 */
export function resolveStrataImportsFromRunningStrata(): void {
  if (installed) return;
  installed = true;
  const parents = fallbackParents();
  register(new URL('../hooks/strata-imports-hook.mjs', import.meta.url), {
    data: { parents: parents.map((p) => pathToFileURL(p).href) },
  });
  const loader = Module as unknown as {
    _resolveFilename(request: string, parent: unknown, isMain: boolean, options?: unknown): string;
    _nodeModulePaths(dir: string): string[];
  };
  const resolveFilename = loader._resolveFilename;
  loader._resolveFilename = function (request, parent, isMain, options) {
    try {
      return resolveFilename.call(this, request, parent, isMain, options);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND' || !request.startsWith('@strata/'))
        throw error;
      for (const filename of parents) {
        const from = { id: filename, filename, paths: loader._nodeModulePaths(join(filename, '..')) };
        try {
          return resolveFilename.call(this, request, from, false, options);
        } catch {}
      }
      throw error;
    }
  };
}
