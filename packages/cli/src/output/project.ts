import type { Project } from '@strata/project';

export type ProjectLibrary = typeof import('@strata/project');

/**
 * Opens the project for one command and closes it afterwards. @strata/project (and with it the SDK,
 * the metadata store and the plugins) is imported here, inside the action, never at start-up.
 */
export async function withProject<T>(
  work: (project: Project, lib: ProjectLibrary) => Promise<T>,
): Promise<T> {
  const lib = await import('@strata/project');
  const config = await lib.readProjectConfig(lib.findProjectRoot());
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
