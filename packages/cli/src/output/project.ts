import type { Project } from '@strata/project';

export type ProjectLibrary = typeof import('@strata/project');

/**
 * Opens the project for one command and closes it afterwards. @strata/project (and with it the SDK,
 * the metadata store and the plugins) is imported here, inside the action, never at start-up.
 */
export async function withProject<T>(
  work: (project: Project, lib: ProjectLibrary) => Promise<T>,
  options: { read?: boolean; remote?: boolean } = {},
): Promise<T> {
  const lib = await import('@strata/project');
  const root = lib.findProjectRoot();
  if (options.read) await requireProject(root);
  if (options.remote) {
    // `strata connect`: read commands and model actions go through the server instead of the store.
    const { connectedProject } = await import('../remote/connected.js');
    const remote = await connectedProject(root, lib);
    if (remote) {
      try {
        return await work(remote, lib);
      } catch (error) {
        // A run made here while connected is in the own store, not on the server: say so.
        const { explainLocalRun } = await import('../remote/local-runs.js');
        throw await explainLocalRun(error, root, lib);
      }
    }
  }
  const config = await lib.readProjectConfig(root);
  // A plugin written in TypeScript (e.g. a path to src/index.ts) needs the TypeScript loader first.
  if (config.plugins.some((p) => /\.[mc]?tsx?$/.test(p))) await lib.enableTypeScript();
  const project = await lib.openProject();
  try {
    return await work(project, lib);
  } finally {
    await project.close();
  }
}

/** `artifact-store` (CLI) -> `artifact_store` (stored type). */
export const storedType = (cli: string) => cli.replace(/-/g, '_');

/** For commands that only read: a project must exist (they never create `.strata/` as a side effect). */
export function readProject<T>(work: (project: Project, lib: ProjectLibrary) => Promise<T>): Promise<T> {
  return withProject(work, { read: true, remote: true });
}

async function requireProject(root: string): Promise<void> {
  const { existsSync } = await import('node:fs');
  const { join } = await import('node:path');
  if (existsSync(join(root, '.strata')) || process.env.STRATA_DATABASE_URL) return;
  const { StrataError } = await import('@strata/core');
  throw new StrataError(`no Strata project in ${root} (no .strata/ here or in a parent folder)`, {
    code: 'not_a_project',
    field: 'cwd',
    value: root,
    fix: 'cd into a project, set STRATA_PROJECT_ROOT, or create one here with `strata init`',
  });
}
