import type { StrataDatabase } from '@strata/core/plugin';

export const DEFAULT_STACK = 'default';

/**
 * A project works before anyone configures it: the first open creates the `default` stack (local
 * orchestrator + local artifact store under .strata/) when the store has no stack at all.
 */
export async function ensureDefaultStack(db: StrataDatabase): Promise<void> {
  if (await db.getStack(DEFAULT_STACK)) return;
  // Only a store without stacks gets one: after `strata stack rename default x` (or deleting it while
  // another stack is active) `default` must stay gone, not come back on the next command.
  if ((await db.listStacks()).length > 0) return;
  const now = Date.now();
  const components = [
    {
      type: 'orchestrator',
      flavor: 'local',
      config: { concurrency: 4, isolation: 'in-process', echoLogs: false },
    },
    { type: 'artifact_store', flavor: 'local', config: { path: '.strata/artifacts' } },
    { type: 'model_registry', flavor: 'local', config: {} },
  ];
  try {
    for (const c of components) {
      if (!(await db.getComponent(c.type, DEFAULT_STACK))) {
        await db.createComponent({ ...c, name: DEFAULT_STACK, createdAt: now, updatedAt: now });
      }
    }
    await db.createStack({
      name: DEFAULT_STACK,
      components: Object.fromEntries(components.map((c) => [c.type, DEFAULT_STACK])),
      createdAt: now,
      updatedAt: now,
    });
  } catch (error) {
    // Another process created it at the same moment; that is the outcome we wanted.
    if (!(await db.getStack(DEFAULT_STACK))) throw error;
  }
}
