import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleKey, temporalSdkVersion } from './bundle-key.js';
import { workflowBundle, workflowsPath } from './worker-bundle.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
let cacheDir: string;
let fixtureDir: string;

beforeAll(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), 'strata-bundle-cache-'));
  // Inside the package so webpack resolves @temporalio/workflow from its node_modules.
  fixtureDir = await mkdtemp(join(packageDir, '.bundle-spec-'));
});
afterAll(async () => {
  await rm(cacheDir, { recursive: true, force: true });
  await rm(fixtureDir, { recursive: true, force: true });
});

describe('the workflow bundle cache key', () => {
  it("covers every module in Strata's workflow graph, core's included, and reuses an unchanged bundle", async () => {
    const first = await workflowBundle({ cacheDir });
    expect(first.cached).toBe(false);
    const ours = first.files.filter((f) => !f.includes('node_modules'));
    const names = ours.map((f) => f.slice(f.lastIndexOf('/') + 1));
    // The entry, its pure helpers, and what @strata/core/scheduler imports in turn (snapshot.ts).
    expect(names).toEqual(
      expect.arrayContaining(['workflows.ts', 'activity-options.ts', 'scheduler.ts', 'snapshot.ts']),
    );
    expect(first.files).toContain(workflowsPath);
    expect(first.files.some((f) => f.includes('@temporalio/workflow'))).toBe(true);

    const again = await workflowBundle({ cacheDir });
    expect(again).toMatchObject({ cached: true, key: first.key });
    expect(again.code).toBe(first.code);
  }, 180_000);

  it('changes when a file imported by the workflow module changes, and the new bundle has the edit', async () => {
    const entry = join(fixtureDir, 'workflows.ts');
    const helper = join(fixtureDir, 'helper.ts');
    await writeFile(
      entry,
      "import { greeting } from './helper.js';\nexport async function hello(): Promise<string> {\n  return greeting;\n}\n",
    );
    await writeFile(helper, "export const greeting = 'before-edit';\n");
    const before = await workflowBundle({ cacheDir, workflowsPath: entry });
    expect(before.files).toContain(helper);
    expect(before.code).toContain('before-edit');
    expect((await workflowBundle({ cacheDir, workflowsPath: entry })).cached).toBe(true);

    await writeFile(helper, "export const greeting = 'after-edit';\n");
    const after = await workflowBundle({ cacheDir, workflowsPath: entry });
    expect(after.cached).toBe(false);
    expect(after.key).not.toBe(before.key);
    expect(after.code).toContain('after-edit');
    expect(after.code).not.toContain('before-edit');
  }, 180_000);

  it('changes with the @temporalio SDK version, for the same files', async () => {
    const files = [workflowsPath];
    const installed = await temporalSdkVersion();
    expect(installed).toMatch(/^@temporalio\/worker@\d+\.\d+\.\d+ @temporalio\/workflow@\d+\.\d+\.\d+$/);
    const key = await bundleKey(files, installed);
    expect(await bundleKey(files, installed)).toBe(key);
    expect(await bundleKey(files, '@temporalio/worker@1.99.0 @temporalio/workflow@1.99.0')).not.toBe(key);
  });

  it('is undefined when a listed file is gone, so the cache bundles again', async () => {
    expect(await bundleKey([join(fixtureDir, 'deleted.ts')], 'v')).toBeUndefined();
  });
});
