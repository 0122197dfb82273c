import { userInfo } from 'node:os';
import type { ModelRegistry } from '@strata/core';
import type { Project } from '@strata/project';
import type { Group } from './index.js';

/** The model registry of the active (or `--stack`) stack, whatever its flavor (local, mlflow, a plugin's). */
export function registryOf(project: Project, group: Group): Promise<ModelRegistry> {
  const { stack } = group.optsWithGlobals() as { stack?: string };
  return project.component<ModelRegistry>('model_registry', stack);
}

/** Who moved an alias: STRATA_ACTOR, else the OS user. */
export function actor(): string {
  return process.env.STRATA_ACTOR ?? `user:${userInfo().username}`;
}
