import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StrataError } from '@strata/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlugins } from './plugins.js';

// A plugin that is there but does not import must not be told to be installed again.
describe('loadPlugins: which fix a plugin that fails to load gets', () => {
  let root: string;
  const failure = (specifier: string) =>
    loadPlugins(root, [specifier]).then(
      () => {
        throw new Error(`${specifier} loaded`);
      },
      (error: StrataError) => error,
    );

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'strata-plugins-'));
    await writeFile(
      join(root, 'needs-dep.mjs'),
      "import 'no-such-package-xyz';\nexport const plugin = {};\n",
    );
    await writeFile(join(root, 'throws.mjs'), "throw new Error('the flavor table is empty');\n");
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it("names the plugin's missing import, not the plugin, as what to install", async () => {
    const error = await failure('./needs-dep.mjs');
    expect(error.code).toBe('missing_dependency');
    expect(error.message).toBe('plugin "./needs-dep.mjs" imports no-such-package-xyz, which cannot be found');
    expect(error.field).toBe('plugins');
    expect(error.value).toBe('./needs-dep.mjs');
    expect(error.fix).toContain('pnpm add no-such-package-xyz');
    expect(error.fix).not.toContain('needs-dep');
  });

  it('says a plugin whose module throws failed while loading, with its message', async () => {
    const error = await failure('./throws.mjs');
    expect(error.code).toBe('invalid_plugin');
    expect(error.message).toBe('plugin "./throws.mjs" failed while loading: the flavor table is empty');
    expect(error.fix).not.toContain('pnpm add');
  });

  it('still says to install or fix the path of a plugin that is not there', async () => {
    const error = await failure('./missing.mjs');
    expect(error.code).toBe('plugin_not_found');
    expect(error.fix).toContain('fix the path in .strata/config.json');
  });
});
