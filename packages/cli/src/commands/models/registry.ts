import { userInfo } from 'node:os';
import type { ModelRegistry } from '@strata/core';
import type { Project } from '@strata/project';

/** The project's model registry (the `local` flavor: the metadata store every stack of the project shares). */
export async function registryOf(project: Project): Promise<ModelRegistry> {
  const { LocalModelRegistry } = await import('@strata/local');
  return new LocalModelRegistry(project.database);
}

/** Who moved an alias: STRATA_ACTOR, else the OS user. */
export function actor(): string {
  return process.env.STRATA_ACTOR ?? `user:${userInfo().username}`;
}
