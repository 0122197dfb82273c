import { existsSync } from 'node:fs';
import { register } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { forgetModules, type ModuleUrl, moduleCodeIdentity } from '@strata/core/plugin';
import { CODE_VERSION_PARAM } from './code-version-hook.js';

let hooked: boolean | undefined;

/**
 * Registers the resolve hook once: the built `.js` beside this file, or the `.ts` source when running
 * from source (tsx is registered by then: worker.ts). False when it cannot be registered (an embedding
 * host without module hooks): imports then use plain file URLs, as before versioning.
 */
function hook(): boolean {
  if (hooked === undefined) {
    const js = new URL('./code-version-hook.js', import.meta.url);
    try {
      register(existsSync(fileURLToPath(js)) ? js : new URL('./code-version-hook.ts', import.meta.url));
      hooked = true;
    } catch (error) {
      process.stderr.write(
        `strata worker: pipeline code is imported once per process (the code-version hook failed to register: ${(error as Error).message})\n`,
      );
      hooked = false;
    }
  }
  return hooked;
}

/**
 * The URL a worker imports a pipeline module from: its file URL versioned by the content of the code
 * it reaches (core's code identity: the module, every local module it imports, package versions).
 *
 * A worker lives for days and Node caches every module it imported, so without this a code-change
 * trigger's run (a new commit checked out on the worker's machine) would run the code the worker saw
 * first, and its lineage would name a snapshot of the old code. Read fresh on each load (a run's
 * plan or its record, once per run, not per step): unchanged code keeps its URL, so Node's cache
 * serves it; changed code gets a new URL, and the resolve hook (code-version-hook.ts) carries the
 * version to its local imports, so helpers are evaluated afresh too. Old versions stay in memory
 * (Node cannot unload modules): one copy per distinct version of the pipeline's code.
 */
export const versionedModuleUrl: ModuleUrl = (path) => {
  if (!hook()) return pathToFileURL(path).href;
  // The identities are cached per process for the step runner's hot path; a load re-reads the files.
  forgetModules();
  const url = pathToFileURL(path);
  const identity = moduleCodeIdentity(path);
  if (identity) url.searchParams.set(CODE_VERSION_PARAM, identity.hash.slice(0, 16));
  return url.href;
};
