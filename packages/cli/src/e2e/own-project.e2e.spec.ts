import { readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempProject, ensureBuilt, type TempProject, workspace } from './temp-project.js';

// A project of a user's own, as README.md ("Your own project") starts one: a folder, `strata init`, a
// pipeline file. Strata's packages are not on the npm registry, so it has no node_modules: its
// TypeScript pipeline file gets @strata/core from the Strata that runs it.
describe('a project made with `strata init` alone (built binary)', { timeout: 300_000 }, () => {
  let p: TempProject;

  // pnpm puts its store's hoisted packages on NODE_PATH for the scripts it runs; a user's shell does not.
  const nodePath = process.env.NODE_PATH;
  beforeAll(async () => {
    delete process.env.NODE_PATH;
    ensureBuilt();
    p = await createTempProject();
    await unlink(p.path('node_modules'));
    expect(p.strata('init').code).toBe(0);
    await p.write('demo.ts', await readFile(join(workspace, 'examples/concepts/readme.ts'), 'utf8'));
  });
  afterAll(async () => {
    if (nodePath !== undefined) process.env.NODE_PATH = nodePath;
    await p?.dispose();
  });

  it("runs the README's pipeline, then serves it from the cache", () => {
    const first = p.strata('run', 'demo.ts');
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/completed scale .*scaled=\[10,20,30\]/);
    const second = p.strata('run', 'demo.ts');
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/cached +scale/);
  });

  // A step process (and a Docker container, a Temporal worker) imports the pipeline module through
  // Node's loaders, not strata run's in-thread compile: with no package.json tsx makes the file
  // CommonJS, with "type": "module" an ES module. Both resolve @strata/core from the running Strata.
  it('runs the pipeline with process isolation, as CommonJS and as an ES module', async () => {
    expect(
      p.strata('orchestrator', 'register', 'isolated', '--flavor', 'local', '--isolation', 'process').code,
    ).toBe(0);
    expect(p.strata('stack', 'register', 'iso', '-o', 'isolated', '-a', 'default').code).toBe(0);
    const commonJs = p.strata('run', 'demo.ts', '--stack', 'iso', '--no-cache');
    expect(commonJs.code, commonJs.stdout + commonJs.stderr).toBe(0);
    expect(commonJs.stdout).toMatch(/completed scale .*scaled=\[10,20,30\]/);
    await p.write('package.json', '{ "type": "module" }\n');
    try {
      const esm = p.strata('run', 'demo.ts', '--stack', 'iso', '--no-cache');
      expect(esm.code, esm.stdout + esm.stderr).toBe(0);
      expect(esm.stdout).toMatch(/completed scale .*scaled=\[10,20,30\]/);
    } finally {
      await unlink(p.path('package.json'));
    }
  });

  it('names the running copy to install for a JavaScript pipeline file, which Node resolves itself', async () => {
    await p.write('demo.mjs', "import { pipeline } from '@strata/core';\nexport const p = pipeline;\n");
    const result = p.strata('run', 'demo.mjs');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('imports @strata/core, which cannot be found');
    expect(result.stderr).toContain(`pnpm add ${join(workspace, 'packages/core')}`);
  });

  it('names the checkout folder to install for a Strata plugin the project lists', async () => {
    const config = p.path('.strata/config.json');
    const before = await readFile(config, 'utf8');
    await writeFile(config, JSON.stringify({ ...JSON.parse(before), plugins: ['@strata/s3'] }));
    const result = p.strata('artifact-store', 'flavor', 'list');
    await writeFile(config, before);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`pnpm add ${join(workspace, 'integrations/s3')}`);
  });
});
