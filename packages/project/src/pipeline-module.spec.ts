import { realpathSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { STRATA_VERSION } from '@strata/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compiledPipelineModule } from './pipeline-module.js';

let root: string;
const previousCache = process.env.STRATA_TS_CACHE;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'strata-pipeline-module-'));
  process.env.STRATA_TS_CACHE = join(root, 'cache');
  // Two versions of a package, the project's node_modules/dep linking to one (as pnpm does).
  for (const version of ['1', '2']) {
    await mkdir(join(root, `store/dep@${version}`), { recursive: true });
    await writeFile(
      join(root, `store/dep@${version}/package.json`),
      JSON.stringify({ name: 'dep', version, type: 'module', exports: { '.': { import: './index.js' } } }),
    );
    await writeFile(join(root, `store/dep@${version}/index.js`), `export const version = ${version};\n`);
  }
  await mkdir(join(root, 'project/node_modules'), { recursive: true });
  await symlink(join(root, 'store/dep@1'), join(root, 'project/node_modules/dep'));
  await mkdir(join(root, 'project/lib'));
  await writeFile(
    join(root, 'project/lib/index.ts'),
    'export const helper = (x: number): number => x + 1;\n',
  );
  await writeFile(
    join(root, 'project/pipeline.ts'),
    [
      "import { version } from 'dep';",
      "import { helper } from './lib';",
      'export const answer: number = helper(version);',
      'export const here: string = import.meta.url;',
    ].join('\n'),
  );
});
afterAll(async () => {
  if (previousCache === undefined) delete process.env.STRATA_TS_CACHE;
  else process.env.STRATA_TS_CACHE = previousCache;
  await rm(root, { recursive: true, force: true });
});

const pipelineFile = () => join(root, 'project/pipeline.ts');

describe('compiledPipelineModule', () => {
  it('compiles the file and its local imports into one module that imports packages by absolute URL', async () => {
    const url = await compiledPipelineModule(pipelineFile());
    expect(url).toBeDefined();
    const code = await readFile(fileURLToPath(url!), 'utf8');
    expect(code).toContain(`from "file://${join(root, 'store/dep@1/index.js')}"`);
    const module = (await import(url!)) as { answer: number; here: string };
    expect(module.answer).toBe(2);
    // import.meta.url is the pipeline file's own, not the cache's.
    expect(module.here).toBe(`file://${pipelineFile()}`);
    expect(await compiledPipelineModule(pipelineFile())).toBe(url);
  });

  it('compiles again when a local import changes, and when the package link points at another version', async () => {
    const first = await compiledPipelineModule(pipelineFile());
    await writeFile(
      join(root, 'project/lib/index.ts'),
      'export const helper = (x: number): number => x + 10;\n',
    );
    const edited = await compiledPipelineModule(pipelineFile());
    expect(edited).not.toBe(first);
    expect(((await import(edited!)) as { answer: number }).answer).toBe(11);
    await unlink(join(root, 'project/node_modules/dep'));
    await symlink(join(root, 'store/dep@2'), join(root, 'project/node_modules/dep'));
    const relinked = await compiledPipelineModule(pipelineFile());
    expect(await readFile(fileURLToPath(relinked!), 'utf8')).toContain('store/dep@2/index.js');
  });

  it('leaves to the loader hooks what one module in the cache cannot reproduce', async () => {
    await writeFile(join(root, 'project/meta.ts'), 'export const where = import.meta.url;\n');
    await writeFile(join(root, 'project/uses-meta.ts'), "export { where } from './meta';\n");
    expect(await compiledPipelineModule(join(root, 'project/uses-meta.ts'))).toBeUndefined();
    await writeFile(
      join(root, 'project/computed.ts'),
      "const name = './lib';\nexport const m = import(name);\n",
    );
    expect(await compiledPipelineModule(join(root, 'project/computed.ts'))).toBeUndefined();
  });

  it('takes a Strata package the project did not install from the running Strata, and the copy of the project once installed', async () => {
    // A project made with `strata init` alone: no node_modules anywhere above it.
    await mkdir(join(root, 'own'));
    const file = join(root, 'own/pipeline.ts');
    await writeFile(
      file,
      "import { STRATA_VERSION } from '@strata/core';\nexport const v: string = STRATA_VERSION;\n",
    );
    const url = await compiledPipelineModule(file);
    const running = realpathSync(fileURLToPath(new URL('../../core/dist/index.bundle.js', import.meta.url)));
    expect(await readFile(fileURLToPath(url!), 'utf8')).toContain(`from "${pathToFileURL(running).href}"`);
    expect(((await import(url!)) as { v: string }).v).toBe(STRATA_VERSION);
    expect(await compiledPipelineModule(file)).toBe(url);
    // Installed since (pnpm add links it): the project's copy, compiled again.
    const installed = join(root, 'store/strata-core');
    await mkdir(installed, { recursive: true });
    await writeFile(
      join(installed, 'package.json'),
      JSON.stringify({
        name: '@strata/core',
        version: '9.9.9',
        type: 'module',
        exports: { '.': { import: './index.js' } },
      }),
    );
    await writeFile(join(installed, 'index.js'), "export const STRATA_VERSION = '9.9.9';\n");
    await mkdir(join(root, 'own/node_modules/@strata'), { recursive: true });
    await symlink(installed, join(root, 'own/node_modules/@strata/core'));
    const again = await compiledPipelineModule(file);
    expect(again).not.toBe(url);
    expect(((await import(again!)) as { v: string }).v).toBe('9.9.9');
  });

  it('a package that is not installed is named as Node names it', async () => {
    await writeFile(
      join(root, 'project/missing.ts'),
      "import x from 'not-installed-xyz';\nexport const y = x;\n",
    );
    await expect(compiledPipelineModule(join(root, 'project/missing.ts'))).rejects.toMatchObject({
      code: 'ERR_MODULE_NOT_FOUND',
      message: expect.stringContaining("Cannot find package 'not-installed-xyz' imported from"),
    });
  });
});
