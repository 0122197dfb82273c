import { userInfo } from 'node:os';
import { type GatedMove, type GatedPromotion, type ModelRegistry, promoteGated } from '@strata/core';
import type { Project } from '@strata/project';
import type { Group } from './index.js';

/** The model registry of the active (or `--stack`) stack, whatever its flavor (local, mlflow, a plugin's). */
export function registryOf(project: Project, group: Group): Promise<ModelRegistry> {
  const { stack } = group.optsWithGlobals() as { stack?: string };
  return project.component<ModelRegistry>('model_registry', stack);
}

/**
 * A registry that applies the promotion gate itself: the server connection's, whose server runs
 * `promoteGated` (checking here too would record a forced promotion's note twice).
 */
export interface GatingRegistry {
  promoteGated(model: string, version: number, move: GatedMove): Promise<GatedPromotion>;
}

/** Promotes under the gate rule (`promoteGated`): here, or on the server when connected. */
export function promote(
  registry: ModelRegistry,
  model: string,
  version: number,
  move: GatedMove,
): Promise<GatedPromotion> {
  const gating = registry as Partial<GatingRegistry>;
  if (typeof gating.promoteGated === 'function') return gating.promoteGated(model, version, move);
  return promoteGated(registry, model, version, move, { forceHint: '--force' });
}

/** Who moved an alias: STRATA_ACTOR, else the OS user. */
export function actor(): string {
  return process.env.STRATA_ACTOR ?? `user:${userInfo().username}`;
}
