import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerComponent } from './components.js';
import { initProject } from './init-project.js';
import { openProject } from './open-project.js';
import { quickListStacks } from './quick-catalog.js';
import { listStacks, registerStack } from './stacks.js';

describe('quickListStacks (the `strata stack list` fast path)', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'strata-quick-'));
    process.env.STRATA_PROJECT_ROOT = root;
  });
  afterEach(async () => {
    delete process.env.STRATA_PROJECT_ROOT;
    await rm(root, { recursive: true, force: true });
  });

  it('returns exactly what the full path returns', async () => {
    await initProject(root);
    const project = await openProject({ cwd: root });
    try {
      await registerComponent(project, {
        type: 'artifact_store',
        name: 'b',
        flavor: 'local',
        raw: { path: 'b' },
      });
      await registerStack(project, 'other', { orchestrator: 'default', artifact_store: 'b' });
      const quick = quickListStacks({ cwd: root });
      expect(quick).toBeDefined();
      expect(quick).toEqual(await listStacks(project));
      expect(quickListStacks({ cwd: root, stack: 'other' })?.find((s) => s.active)?.name).toBe('other');
    } finally {
      await project.close();
    }
  });

  it('declines (undefined) when there is no database yet, so the caller takes the full path', () => {
    expect(quickListStacks({ cwd: root })).toBeUndefined();
  });
});
