import { spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheable, prune } from './compile-cache.js';

/**
 * Each case is a fresh Node process (the cache patches Node's CommonJS loader for the whole process):
 * it installs the cache, requires a package under node_modules and prints what the package returned.
 */
const tsx = import.meta.resolve('tsx');

describe('compile cache', () => {
  let root: string;
  const pkg = () => join(root, 'node_modules/demo');
  const cacheDir = () => join(root, 'cache');
  const entries = async (dir = cacheDir()) =>
    (await readdir(join(dir, `${process.version}-${process.arch}`)).catch(() => [])).filter((f) =>
      f.endsWith('.bin'),
    );

  const run = (env: NodeJS.ProcessEnv = {}) => {
    const script = [
      `import { installCompileCache, noteRanPipeline } from ${JSON.stringify(pathToFileURL(join(import.meta.dirname, 'compile-cache.ts')).href)};`,
      'installCompileCache();',
      "import { createRequire } from 'node:module';",
      `const value = createRequire(${JSON.stringify(join(root, 'main.cjs'))})('demo');`,
      'console.log(typeof value === "function" ? await value() : value);',
      // As `strata run` does once its run is over.
      'if (process.env.DEMO_RAN_PIPELINE) noteRanPipeline();',
    ].join('\n');
    const result = spawnSync(process.execPath, ['--import', tsx, '--input-type=module', '-e', script], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, STRATA_COMPILE_CACHE: cacheDir(), ...env },
      timeout: 60_000,
    });
    return { code: result.status, out: result.stdout.trim(), err: result.stderr };
  };

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'strata-compile-cache-'));
    await mkdir(pkg(), { recursive: true });
    await writeFile(join(pkg(), 'package.json'), '{ "name": "demo", "main": "index.cjs" }\n');
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('writes an entry on the first run and serves the same code from it on the next', async () => {
    await writeFile(
      join(pkg(), 'index.cjs'),
      'module.exports = "one:" + require("node:path").basename(__filename);\n',
    );
    expect(run()).toMatchObject({ code: 0, out: 'one:index.cjs' });
    const [entry] = await entries();
    const path = join(cacheDir(), `${process.version}-${process.arch}`, entry!);
    const written = (await stat(path)).mtimeMs;
    expect(run()).toMatchObject({ code: 0, out: 'one:index.cjs', err: '' });
    // Accepted by V8, so not written again (an entry is written only when missing or rejected).
    expect(await entries()).toEqual([entry]);
    expect((await stat(path)).mtimeMs).toBe(written);
  });

  it('never runs stale code: a file changed to the same length compiles from its new source', async () => {
    await writeFile(
      join(pkg(), 'index.cjs'),
      'module.exports = "two:" + require("node:path").basename(__filename);\n',
    );
    expect(run()).toMatchObject({ code: 0, out: 'two:index.cjs' });
    expect(await entries()).toHaveLength(2);
  });

  it('rejected or corrupt data falls back to compiling, and the entry is written again', async () => {
    const [entry] = await entries();
    const dir = join(cacheDir(), `${process.version}-${process.arch}`);
    for (const name of await entries()) await writeFile(join(dir, name), 'not a code cache');
    expect(run()).toMatchObject({ code: 0, out: 'two:index.cjs', err: '' });
    const rewritten = await Promise.all((await entries()).map((name) => readFile(join(dir, name), 'utf8')));
    expect(entry).toBeDefined();
    expect(rewritten.some((text) => text !== 'not a code cache')).toBe(true);
  });

  it('a folder others may write to is not used, and an unusable folder is no error', async () => {
    const shared = join(root, 'shared');
    await mkdir(join(shared, `${process.version}-${process.arch}`), { recursive: true });
    await chmod(join(shared, `${process.version}-${process.arch}`), 0o777);
    expect(run({ STRATA_COMPILE_CACHE: shared })).toMatchObject({ code: 0, out: 'two:index.cjs' });
    expect(await entries(shared)).toEqual([]);
    // A path under a regular file can never be created.
    const blocked = join(pkg(), 'index.cjs', 'cache');
    expect(run({ STRATA_COMPILE_CACHE: blocked })).toMatchObject({ code: 0, out: 'two:index.cjs', err: '' });
    expect(run({ STRATA_COMPILE_CACHE: 'off' })).toMatchObject({ code: 0, out: 'two:index.cjs' });
    // Under /proc mkdir answers ENOENT below a folder that exists: Node's recursive mkdirSync never
    // returned there (the run below timed out), this must give up and run without a cache.
    if (process.platform === 'linux') {
      expect(run({ STRATA_COMPILE_CACHE: '/proc/strata-cache/v8' })).toMatchObject({
        code: 0,
        out: 'two:index.cjs',
      });
    }
  });

  it("leaves a file with an import() to Node's loader, so the import still works on later runs", async () => {
    await writeFile(
      join(pkg(), 'index.cjs'),
      'module.exports = async () => (await import("node:path")).basename("/a/dyn.txt");\n',
    );
    expect(run()).toMatchObject({ code: 0, out: 'dyn.txt' });
    expect(run()).toMatchObject({ code: 0, out: 'dyn.txt' });
    expect(cacheable('/x/node_modules/demo/index.cjs', 'await import("y")')).toBe(false);
  });

  it("a run served by another command's entry writes its own, which every later process reads first", async () => {
    const dir = join(cacheDir(), `${process.version}-${process.arch}`);
    const before = new Set(await entries());
    const added = async () => (await entries()).filter((name) => !before.has(name)).sort();
    await writeFile(join(pkg(), 'index.cjs'), 'module.exports = "three:" + __filename.length;\n');
    const out = `three:${join(pkg(), 'index.cjs').length}`;
    const ran = { DEMO_RAN_PIPELINE: '1' };
    expect(run()).toMatchObject({ code: 0, out });
    const [other] = await added();
    expect(other).toMatch(/^[0-9a-f]{40}-\d+\.bin$/);
    expect(run(ran)).toMatchObject({ code: 0, out, err: '' });
    const runEntry = other!.replace(/\.bin$/, '.run.bin');
    expect(await added()).toEqual([other, runEntry]);
    // Served from the run's entry: neither kind of process writes again.
    const written = (await stat(join(dir, runEntry))).mtimeMs;
    expect(run()).toMatchObject({ code: 0, out });
    expect(run(ran)).toMatchObject({ code: 0, out });
    expect((await stat(join(dir, runEntry))).mtimeMs).toBe(written);
    // A run's entry V8 rejects is removed, and the command's own is written.
    await writeFile(join(dir, runEntry), 'not a code cache');
    expect(run()).toMatchObject({ code: 0, out, err: '' });
    expect(await added()).toEqual([other]);
    expect(await readFile(join(dir, other!), 'utf8')).not.toBe('not a code cache');
  });

  it('another copy of the same file at another path gets its own entry, so its stack traces name it', async () => {
    const source = 'module.exports = () => new Error("where").stack.split("\\n")[1];\n';
    const copies = [join(root, 'a'), join(root, 'b')];
    for (const copy of copies) {
      await mkdir(join(copy, 'node_modules/demo'), { recursive: true });
      await writeFile(
        join(copy, 'node_modules/demo/package.json'),
        '{ "name": "demo", "main": "index.cjs" }\n',
      );
      await writeFile(join(copy, 'node_modules/demo/index.cjs'), source);
    }
    const frame = (copy: string) => {
      const script = [
        `import { installCompileCache } from ${JSON.stringify(pathToFileURL(join(import.meta.dirname, 'compile-cache.ts')).href)};`,
        'installCompileCache();',
        "import { createRequire } from 'node:module';",
        `console.log(createRequire(${JSON.stringify(join(copy, 'main.cjs'))})('demo')());`,
      ].join('\n');
      const result = spawnSync(process.execPath, ['--import', tsx, '--input-type=module', '-e', script], {
        encoding: 'utf8',
        env: { ...process.env, STRATA_COMPILE_CACHE: cacheDir() },
        timeout: 60_000,
      });
      return result.stdout.trim();
    };
    for (const copy of [...copies, ...copies]) {
      expect(frame(copy)).toContain(join(copy, 'node_modules/demo/index.cjs'));
    }
  });

  it('prune keeps the newest entries, and temporary files younger than an hour', async () => {
    const dir = join(root, 'prune');
    await mkdir(dir);
    for (let i = 0; i < 5; i++) {
      await writeFile(join(dir, `${i}.bin`), 'x');
      await utimes(join(dir, `${i}.bin`), 1000 + i, 1000 + i);
    }
    await writeFile(join(dir, 'other.txt'), 'kept');
    await writeFile(join(dir, 'a.bin.1.tmp'), 'half');
    await utimes(join(dir, 'a.bin.1.tmp'), 1000, 1000);
    await writeFile(join(dir, 'b.bin.2.tmp'), 'being written');
    prune(dir, 2);
    expect((await readdir(dir)).sort()).toEqual(['3.bin', '4.bin', 'b.bin.2.tmp', 'other.txt']);
  });

  it("caches only Strata's bundles and node_modules files without a source map or hashbang", () => {
    expect(cacheable('/w/packages/core/dist/bundle.cjs', 'module.exports = 1;')).toBe(true);
    expect(cacheable('/w/node_modules/zod/index.cjs', 'exports.init_import = init_import();')).toBe(true);
    expect(cacheable('/home/me/project/plugin.cjs', 'module.exports = 1;')).toBe(false);
    // A bundle's import() calls go through its helper (first line says so): an import( left in a
    // string of it (a worker thread's source) does not keep it from the cache; anywhere else it does.
    const mark = '// strata bundle: import() calls go through ./import.cjs\n';
    expect(cacheable('/w/packages/core/dist/bundle.cjs', `${mark}x = \`import(m.module)\`;`)).toBe(true);
    expect(cacheable('/w/node_modules/x/a.js', `${mark}x = import("y");`)).toBe(false);
    expect(cacheable('/w/node_modules/x/cli.js', '#!/usr/bin/env node\n1;')).toBe(false);
    expect(cacheable('/w/node_modules/x/a.js', '1;\n//# sourceMappingURL=a.js.map\n')).toBe(false);
  });
});
