import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTemporaryStack, TEMPORARY_STACK } from './temporary-stack.js';

describe('createTemporaryStack', () => {
  it('builds a local stack on SQLite in a temporary project and removes it on cleanup', async () => {
    const { stack, root, databasePath, cleanup } = await createTemporaryStack({ concurrency: 2 });
    expect(stack.name).toBe(TEMPORARY_STACK);
    expect(stack.orchestrator.flavor).toBe('local');
    expect(stack.artifactStore.identity).toBe(`local:${join(root, '.strata', 'artifacts')}`);
    expect(stack.database.url).toContain(databasePath);
    expect(stack.stepCommand?.length).toBeGreaterThan(0);
    expect((await stack.database.getComponent('orchestrator', TEMPORARY_STACK))?.config).toMatchObject({
      concurrency: 2,
      isolation: 'in-process',
    });
    await cleanup();
    expect(existsSync(root)).toBe(false);
  });

  it('rejects a bad concurrency', async () => {
    await expect(createTemporaryStack({ concurrency: 0 })).rejects.toThrow(/concurrency/);
  });
});
