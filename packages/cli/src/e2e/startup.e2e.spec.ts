import { spawnSync } from 'node:child_process';
import { chmod, mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bin, createTempProject, ensureBuilt, type TempProject } from './temp-project.js';

/**
 * What `strata run` loads at start-up, and Strata's own TypeScript hooks (the stand-in for tsx on the
 * run path): a multi-file TypeScript pipeline with the TypeScript import conventions and legacy
 * decorators from its tsconfig runs, and its step code hashes match tsx's (a run under tsx is cached).
 */
describe('strata run start-up (built binary, temp project)', { timeout: 300_000 }, () => {
  let p: TempProject;

  const run = (args: string[], env: NodeJS.ProcessEnv = {}) => {
    const result = spawnSync(process.execPath, [bin, ...args], {
      cwd: p.root,
      encoding: 'utf8',
      env: {
        ...process.env,
        STRATA_PROJECT_ROOT: p.root,
        STRATA_TS_CACHE: p.path('ts-cache'),
        STRATA_COMPILE_CACHE: p.path('v8-cache'),
        NO_COLOR: '1',
        ...env,
      },
      timeout: 120_000,
    });
    return { code: result.status ?? -1, out: `${result.stdout}${result.stderr}` };
  };

  beforeAll(async () => {
    ensureBuilt();
    p = await createTempProject();
    expect(p.strata('init').code).toBe(0);
    await p.write(
      'tsconfig.json',
      '{\n  // legacy decorators, as inversify users configure them\n  "compilerOptions": { "experimentalDecorators": true, },\n}\n',
    );
    await mkdir(p.path('lib'));
    await p.write(
      'lib/index.ts',
      [
        'function tag(target: object, _key: string | undefined, index: number): void {',
        '  (target as { tagged?: number[] }).tagged = [index];',
        '}',
        'export class Scaler {',
        '  constructor(@tag readonly factor: number) {}',
        '  apply(x: number): number { return x * this.factor; }',
        '}',
        'export const tagged = (Scaler as unknown as { tagged?: number[] }).tagged;',
      ].join('\n'),
    );
    await p.write('lib/offset.ts', 'export const OFFSET: number = 1;\n');
    await p.write(
      'pipeline.ts',
      [
        "import { pipeline, step, t } from '@strata/core';",
        "import { Scaler, tagged } from './lib';",
        "import { OFFSET } from './lib/offset.js';",
        '',
        'const first = step({ name: "first", outputs: { x: t.number() }, run: () => ({ x: OFFSET + (tagged?.[0] ?? 100) }) });',
        'const scale = step({',
        '  name: "scale",',
        '  inputs: { x: t.number() },',
        '  outputs: { y: t.number() },',
        '  run: ({ x }) => ({ y: new Scaler(3).apply(x) }),',
        '});',
        '',
        'export const startup = pipeline({ name: "startup", body: () => { scale({ x: first().x }); } });',
      ].join('\n'),
    );
    // Records every module Node loads (registered first, so it sees the run's imports).
    await p.write(
      'record.mjs',
      "import { register } from 'node:module';\nregister('./record-hooks.mjs', import.meta.url);\n",
    );
    await p.write(
      'record-hooks.mjs',
      [
        "import { appendFileSync } from 'node:fs';",
        'export async function load(url, context, next) {',
        "  appendFileSync(process.env.RECORD_FILE, url + '\\n');",
        '  return next(url, context);',
        '}',
      ].join('\n'),
    );
  });
  afterAll(async () => {
    await p?.dispose();
  });

  it('runs a multi-file TypeScript pipeline (./x.js -> x.ts, ./dir -> dir/index.ts, tsconfig decorators)', async () => {
    const first = run(['run', 'pipeline.ts']);
    expect(first.out).toContain('completed');
    expect(first.code).toBe(0);
    // tagged = [0] from the parameter decorator: x = 1 + 0, y = 3.
    expect(first.out).toMatch(/first .*x=1\b/);
    expect(first.out).toMatch(/scale .*y=3\b/);
    // The three files compiled in the CLI's own thread into one module, with its manifest.
    const cache = await readdir(p.path('ts-cache'));
    expect(cache.filter((f) => f.endsWith('.mjs'))).toHaveLength(1);
    expect(cache.filter((f) => f.endsWith('.json'))).toHaveLength(1);
  });

  it('hashes step code as tsx does: the same pipeline under tsx is served from the cache', () => {
    const again = run(['run', 'pipeline.ts'], { STRATA_TS_LOADER: 'tsx' });
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/cached +first/);
    expect(again.out).toMatch(/cached +scale/);
  });

  it('ignores a compile cache directory that others may write to (its code would run)', async () => {
    const shared = p.path('shared-cache');
    await mkdir(shared);
    await chmod(shared, 0o777);
    const result = run(['run', 'pipeline.ts', '--no-cache'], { STRATA_TS_CACHE: shared });
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/scale .*y=3\b/);
    expect(await readdir(shared)).toEqual([]);
  });

  it('STRATA_TIMING=1 prints where the wall and CPU time went, phase by phase, on stderr', () => {
    const timed = run(['run', 'pipeline.ts'], { STRATA_TIMING: '1' });
    expect(timed.code).toBe(0);
    const line = /strata timing \(ms since process start, wall\/cpu\): (.*)/.exec(timed.out)?.[1] ?? '';
    const marks = line.split(' · ').map((m) => m.split(' '));
    expect(marks.map(([name]) => name)).toEqual([
      'cli',
      'project',
      'stack',
      'pipeline',
      'submitted',
      'watched',
      'closed',
      'exit',
    ]);
    for (const column of [0, 1]) {
      const times = marks.map(([, ms]) => Number(ms?.split('/')[column]));
      expect(times.every((t, i) => Number.isFinite(t) && t >= (times[i - 1] ?? 0))).toBe(true);
    }
    expect(run(['run', 'pipeline.ts']).out).not.toContain('strata timing');
  });

  it('a TypeScript syntax error names the file, line and column', async () => {
    await p.write('broken.ts', 'export const x: number = ;\n');
    const result = run(['run', 'broken.ts']);
    expect(result.code).toBe(2);
    expect(result.out).toContain('could not be imported: Unexpected ";"');
    expect(result.out).toContain('broken.ts:1:26');
  });

  it("loads neither apache-arrow, tar nor tsx, and Strata's packages and kysely/inversify only as bundles", async () => {
    const record = p.path('loaded.txt');
    const result = run(['run', 'pipeline.ts', '--no-cache'], {
      NODE_OPTIONS: `--import ${p.path('record.mjs')}`,
      RECORD_FILE: record,
    });
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/scale .*y=3\b/);
    // (pipeline.ts itself is not listed: Strata's TypeScript hooks, registered later, answer first.)
    const loaded = (await readFile(record, 'utf8')).split('\n').filter(Boolean);
    expect(loaded.some((url) => url.includes('/@strata/core/') || url.includes('/packages/core/'))).toBe(
      true,
    );
    const heavy = loaded.filter((url) => /\/node_modules\/(apache-arrow|tar|tsx|esbuild)\//.test(url));
    expect(heavy).toEqual([]);
    // The pipeline was compiled before (cached): no loader hooks, so no hooks thread, were needed.
    expect(loaded.filter((url) => url.includes('typescript-hooks'))).toEqual([]);
    // ~500 small ES modules between them, each paid for by Node's loader: bundled by `pnpm build`.
    const unbundled = loaded.filter((url) =>
      /\/node_modules\/(kysely|inversify|@inversifyjs\/[^/]+)\//.test(url),
    );
    expect(unbundled).toEqual([]);
    // Core, metadata, project, the local flavors and the CLI: ~360 compiled files, loaded as their
    // bundles only (scripts/bundle-packages.mjs), never as tsc's one file per module. The ES module
    // entries (*.bundle.js) hand out each package's CommonJS bundle, which Node's module hooks do not
    // list; the compile cache is the one other file the CLI loads before them.
    const strata = loaded.filter((url) => /\/(packages|integrations)\/[^/]+\/dist\//.test(url));
    expect(
      strata.filter((url) => !/\/dist\/([\w/-]+\.bundle\.js|start\/compile-cache\.js)$/.test(url)),
    ).toEqual([]);
    expect(strata.length).toBeGreaterThan(1);
    expect(strata.length).toBeLessThan(20);
  });

  it("keeps V8's compiled code of the bundles between runs and uses it (nothing rewritten)", async () => {
    const folder = p.path('v8-cache', `${process.version}-${process.arch}`);
    expect(run(['run', 'pipeline.ts', '--no-cache']).code).toBe(0);
    const before = await readdir(folder, { withFileTypes: false });
    // core, metadata, local, project and the CLI, plus zod's and reflect-metadata's CommonJS files.
    expect(before.length).toBeGreaterThan(5);
    const times = await Promise.all(before.map(async (f) => (await stat(join(folder, f))).mtimeMs));
    const again = run(['run', 'pipeline.ts', '--no-cache']);
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/scale .*y=3\b/);
    expect((await readdir(folder)).sort()).toEqual([...before].sort());
    expect(await Promise.all(before.map(async (f) => (await stat(join(folder, f))).mtimeMs))).toEqual(times);
  });
});
