import type { ModelRegistry } from '@strata/core';
import { LocalModelRegistry } from '@strata/local';
import { attachLocalModelRegistry } from '../attach-model-registry.js';
import {
  createTemporaryStack,
  TEMPORARY_STACK,
  type TemporaryStack,
  type TemporaryStackOptions,
} from '../temporary-stack.js';

export interface MlStack extends TemporaryStack {
  readonly registry: ModelRegistry;
}

/**
 * A temporary stack with a `local` model registry: what the ML steps (evaluate, push) and the model
 * server need. The registry is also recorded in the stack's database, so child processes see it.
 */
export async function createMlStack(options: TemporaryStackOptions = {}): Promise<MlStack> {
  const temp = await createTemporaryStack(options);
  const db = temp.stack.database;
  await attachLocalModelRegistry(db, TEMPORARY_STACK, TEMPORARY_STACK);
  const registry = new LocalModelRegistry(db, async () => temp.stack.artifactStore);
  // The stack was built before the registry was added to it: hand the live instance to steps too.
  (temp.stack.extras as Map<string, unknown>).set('model_registry', registry);
  return { ...temp, registry };
}
