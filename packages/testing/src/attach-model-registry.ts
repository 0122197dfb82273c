import type { StrataDatabase } from '@strata/core/plugin';

/**
 * Records a `local` model registry component named `name` and puts it in stack `stack`, in the
 * stack's database, so every process that opens the stack (step processes, containers, workers) has
 * it. Does nothing when the component already exists.
 */
export async function attachLocalModelRegistry(
  db: StrataDatabase,
  stack: string,
  name: string,
): Promise<void> {
  if (await db.getComponent('model_registry', name)) return;
  const now = Date.now();
  await db.createComponent({
    type: 'model_registry',
    name,
    flavor: 'local',
    config: {},
    createdAt: now,
    updatedAt: now,
  });
  const record = await db.getStack(stack);
  await db.updateStack(stack, { ...record!.components, model_registry: name });
}
