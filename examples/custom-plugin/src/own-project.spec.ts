// docs/plugins.md, section 2, tested: the plugin added to a project of a user's own, outside the
// checkout, the way the guide says (own-project.sh, own-project-config.json), with no node_modules
// but what `pnpm add` makes and without pnpm's NODE_PATH (as in a user's shell).
import { spawnSync } from 'node:child_process';
import { readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTempProject, ensureBuilt, type TempProject } from '@strata/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const workspace = join(import.meta.dirname, '../../..');
const example = join(workspace, 'examples/custom-plugin');

describe('docs/plugins.md: the plugin in a project of your own', { timeout: 300_000 }, () => {
  let p: TempProject;
  const nodePath = process.env.NODE_PATH;

  beforeAll(async () => {
    delete process.env.NODE_PATH;
    ensureBuilt();
    p = await createTempProject();
    await unlink(p.path('node_modules'));
    await unlink(p.path('package.json'));
    expect(p.strata('init').code).toBe(0);
  });
  afterAll(async () => {
    if (nodePath !== undefined) process.env.NODE_PATH = nodePath;
    await p?.dispose();
  });

  it("installs with the guide's commands (a link: dependency, no workspace:/catalog:) and runs on its flavors", async () => {
    const setup = spawnSync('sh', ['-e', join(example, 'own-project.sh')], {
      cwd: p.root,
      encoding: 'utf8',
      // Only @strata/core is added, from the checkout (a link: needs no registry).
      env: { ...process.env, STRATA: workspace, npm_config_offline: 'true' },
    });
    expect(setup.status, setup.stdout + setup.stderr).toBe(0);
    const pkg = JSON.parse(await readFile(p.path('package.json'), 'utf8'));
    expect(pkg.dependencies).toEqual({ '@strata/core': `link:${join(workspace, 'packages/core')}` });
    await writeFile(p.path('.strata/config.json'), await readFile(join(example, 'own-project-config.json')));

    const flavors = p.strata('artifact-store', 'flavor', 'list');
    expect(flavors.code, flavors.stderr).toBe(0);
    expect(flavors.stdout).toMatch(/mirror\s+@strata-examples\/custom-plugin/);
    for (const args of [
      ['secret', 'set', 'mirror-creds', 'token=s3cr3t-token'],
      [
        'artifact-store',
        'register',
        'mirrored',
        '--flavor',
        'mirror',
        '--path',
        'primary',
        '--mirror',
        'copy',
      ],
      ['orchestrator', 'register', 'strict', '--flavor', 'sequential', '--require-mirror', 'true'],
      ['stack', 'register', 'plugin-stack', '-o', 'strict', '-a', 'mirrored', '--set'],
    ]) {
      const result = p.strata(...args);
      expect(result.code, result.stderr).toBe(0);
    }
    const run = p.strata('run', 'plugins/custom/pipeline.ts');
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/completed sorted/);
  });
});
