import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workspace } from '@strata/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The bundles `strata run` loads (scripts/bundle-packages.mjs, run by `pnpm build`): the built tree
 * must have them and they must match tsc's output, or the CLI would run missing or old code.
 */
const script = join(workspace, 'scripts/bundle-packages.mjs');
const bundler = (...args: string[]) => {
  const result = spawnSync(process.execPath, [script, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: result.status, out: `${result.stdout}${result.stderr}` };
};

describe('package bundles', () => {
  it('are present and current in this tree (pnpm build made them from the current dist/)', () => {
    const { code, out } = bundler('--check');
    expect(out).toBe('');
    expect(code).toBe(0);
  });

  describe('staleness (a throw-away package)', () => {
    let root: string;
    const pkg = 'packages/tiny';
    const dist = (file: string) => join(root, pkg, 'dist', file);
    beforeAll(async () => {
      root = await mkdtemp(join(tmpdir(), 'strata-bundles-'));
      await mkdir(join(root, pkg, 'dist'), { recursive: true });
      await writeFile(
        join(root, pkg, 'package.json'),
        JSON.stringify({
          name: 'tiny',
          type: 'module',
          exports: { '.': { default: './dist/index.bundle.js' } },
        }),
      );
      await writeFile(
        dist('index.js'),
        "export { two } from './two.js';\nexport const one = 1;\nexport const box = {};\n" +
          // A thread's source in a string calls import(): text, not this bundle's import().
          "export const source = `loaded: import(m.module)`;\nexport const load = () => import('node:path');\n" +
          // Past ASCII in a comment and in a string (the bundle must stay a one-byte string for V8).
          // (esbuild keeps a class member's doc comment as written.)
          "export class Wait {\n  /** Waits\u2026 then \u2192 done */\n  ellipsis() {\n    return 'a\u2026b';\n  }\n}\n",
      );
      await writeFile(dist('two.js'), 'export const two = 2;\n');
    });
    afterAll(() => rm(root, { recursive: true, force: true }));

    it('a missing bundle fails the check; the bundler makes it; it then imports and passes', async () => {
      expect(bundler('--check', '--root', root, pkg)).toMatchObject({ code: 1 });
      expect(bundler('--check', '--root', root, pkg).out).toContain('no dist/bundle.json');
      expect(bundler('--root', root, pkg).code).toBe(0);
      expect(bundler('--check', '--root', root, pkg)).toEqual({ code: 0, out: '' });
      const bundled = (await import(dist('index.bundle.js'))) as {
        one: number;
        two: number;
        box: object;
        source: string;
        load: () => Promise<{ sep: string }>;
        Wait: new () => { ellipsis(): string };
      };
      expect([bundled.one, bundled.two]).toEqual([1, 2]);
      // Every character past ASCII is escaped: in code by esbuild, in comments by the bundler.
      const text = await readFile(dist('bundle.cjs'), 'utf8');
      expect(text).not.toMatch(/[\u0080-\uffff]/);
      expect(text).toContain('Waits\\u2026 then \\u2192 done');
      expect(new bundled.Wait().ellipsis()).toBe('a\u2026b');
      // The code's import() goes through the helper beside the bundle; the string is untouched.
      expect(bundled.source).toBe('loaded: import(m.module)');
      expect((await bundled.load()).sep).toBe('/');
      expect(await readFile(dist('bundle.cjs'), 'utf8')).toContain('__strataImport("node:path")');
      // The ES module entry hands out the package's one CommonJS instance (what other bundles require).
      const commonjs = createRequire(import.meta.url)(dist('bundle.cjs')) as Record<string, { box: object }>;
      expect(commonjs['.']!.box).toBe(bundled.box);
    });

    it('a re-emitted input or a deleted output is stale; bundling again makes it current', async () => {
      await writeFile(dist('two.js'), 'export const two = 22;\n');
      expect(bundler('--check', '--root', root, pkg)).toEqual({
        code: 1,
        out: `${pkg}: bundle missing or stale (${pkg}/dist/two.js changed): run pnpm build\n`,
      });
      expect(bundler('--root', root, pkg).code).toBe(0);
      expect(await readFile(dist('bundle.cjs'), 'utf8')).toContain('22');
      await unlink(dist('index.bundle.js'));
      expect(bundler('--check', '--root', root, pkg).out).toContain('dist/index.bundle.js is missing');
      expect(bundler('--root', root, pkg).code).toBe(0);
      expect(bundler('--check', '--root', root, pkg).code).toBe(0);
    });
  });
});
