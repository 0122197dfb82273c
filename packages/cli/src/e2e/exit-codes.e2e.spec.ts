import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bin,
  type CliResult,
  createTempProject,
  demoPipelineFile,
  ensureBuilt,
  type TempProject,
  workspace,
} from './temp-project.js';

/** The few calls of better-sqlite3 these cases make. */
type SqliteDriver = new (path: string) => { exec(sql: string): void; close(): void };
/** The metadata package's own SQLite driver (the CLI package does not depend on it directly). */
const sqliteDriver = (): SqliteDriver =>
  createRequire(join(workspace, 'packages/metadata/package.json'))('better-sqlite3') as SqliteDriver;

/** A line of a JavaScript stack trace: never printed without --debug. */
const STACK_LINE = /^\s+at .+[:(]/m;

function expectClean(result: CliResult, code: number, message?: RegExp): void {
  expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(code);
  expect(result.stderr).not.toMatch(STACK_LINE);
  expect(result.stderr).not.toContain('unexpected error');
  if (message) expect(result.stderr).toMatch(message);
}

// Each case is one fault of the corpus: the exit code says whose fault it is (2 = input or
// environment), one message names it, and no stack trace is printed without --debug.
describe('exit codes and messages for bad input and faults (built binary)', { timeout: 300_000 }, () => {
  let p: TempProject;
  const long = 'a'.repeat(10_000);

  beforeAll(async () => {
    ensureBuilt();
    p = await createTempProject();
    await p.write('demo.ts', await readFile(demoPipelineFile, 'utf8'));
    expect(p.strata('init').code).toBe(0);
  });
  afterAll(async () => {
    await p?.dispose();
  });

  it('usage errors in numbers and choices: -n abc, --port abc, --port 70000, --status bogus', () => {
    expectClean(p.strata('runs', 'list', '-n', 'abc'), 2, /whole number/);
    // A status that does not exist was an empty list and exit 0, as if there were no such runs.
    expectClean(
      p.strata('runs', 'list', '--status', 'bogus'),
      2,
      /--status.*one of pending, running, completed, failed, cancelled, crashed, got "bogus"/,
    );
    expectClean(p.strata('serve', 'm@production', '--port', 'abc'), 2, /--port/);
    expectClean(p.strata('serve', 'm@production', '--port', '70000'), 2, /65535/);
  });

  it('names have limits: a 10 KB secret, stack or component name is refused and nothing is created', () => {
    expectClean(p.strata('secret', 'set', long, 'k=v'), 2, /invalid secret name/);
    expectClean(p.strata('stack', 'register', long, '-o', 'default', '-a', 'default'), 2, /not a valid name/);
    expectClean(
      p.strata('orchestrator', 'register', 'has space', '--flavor', 'local'),
      2,
      /not a valid name/,
    );
    expect(p.strata('stack', 'list').stdout).not.toContain('aaaa');
  });

  it('user code that throws a string at import or null in the pipeline body', async () => {
    await p.write('throw-string.ts', 'throw "boom";\nexport {};\n');
    expectClean(p.strata('run', 'throw-string.ts'), 2, /could not be imported: .*boom/);
    await p.write(
      'throw-null.ts',
      "import { pipeline } from '@strata/core';\nexport const p = pipeline({ name: 'nb', body: () => { throw null; } });\n",
    );
    expectClean(p.strata('run', 'throw-null.ts'), 2, /body of pipeline "nb" threw/);
  });

  it('a missing npm dependency is named as such, not as a missing run file', async () => {
    await p.write('missing-dep.ts', "import x from 'not-a-package-xyz';\nexport const y = x;\n");
    expectClean(p.strata('run', 'missing-dep.ts'), 2, /imports not-a-package-xyz, which cannot be found/);
    expectClean(p.strata('run', 'no-such-file.ts'), 2, /does not exist/);
  });

  it('export to a folder that does not exist', () => {
    expect(p.strata('run', 'demo.ts').code).toBe(0);
    const [artifact] = JSON.parse(p.strata('artifacts', 'list', '--json').stdout) as { id: string }[];
    expectClean(
      p.strata('artifacts', 'export', artifact!.id, p.path('missing/folder/out.json')),
      2,
      /does not exist/,
    );
    // The store's export names the folder, not the temporary file it would have written first.
    expectClean(
      p.strata('export', p.path('missing/folder/store.json')),
      2,
      /cannot export to .*missing\/folder: no such folder/,
    );
  });

  it('a locked database waits the bounded time, then names the problem and the fix', async () => {
    const Database = sqliteDriver();
    const holder = new Database(p.path('.strata/strata.db'));
    holder.exec('BEGIN EXCLUSIVE');
    try {
      const started = Date.now();
      const result = spawnSync(
        process.execPath,
        [bin, 'stack', 'register', 'locked', '-o', 'default', '-a', 'default'],
        {
          cwd: p.root,
          encoding: 'utf8',
          env: {
            ...process.env,
            STRATA_PROJECT_ROOT: p.root,
            NO_COLOR: '1',
            STRATA_DB_BUSY_TIMEOUT_MS: '300',
          },
        },
      );
      expectClean({ code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr }, 2, /locked/);
      expect(result.stderr).toContain('fix:');
      expect(Date.now() - started).toBeLessThan(60_000);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
  });

  it('a misspelt nested param key (--param model.tres=5, a run config) is refused; a dotted key sets one', async () => {
    await p.write(
      'nested.ts',
      [
        "import { pipeline, step, t, z } from '@strata/core';",
        'const model = z.object({ trees: z.number().default(5), depth: z.number().default(3) });',
        "const fit = step({ name: 'fit', params: z.object({ model }), outputs: { m: t.json<number>() }, run: (_i, { model }) => ({ m: model.trees * 10 + model.depth }) });",
        "export const nested = pipeline({ name: 'nested', params: z.object({ model: model.default({ trees: 5, depth: 3 }) }), body: ({ model }) => { fit({}, { params: { model } }); } });",
        '',
      ].join('\n'),
    );
    const runs = () => (JSON.parse(p.strata('runs', 'list', '--json').stdout) as unknown[]).length;
    const before = runs();
    expectClean(
      p.strata('run', 'nested.ts', '--param', 'model.tres=5'),
      2,
      /unknown parameter "model\.tres" \(given: 5; did you mean "model\.trees"\?\)\n\s+fix: rename "model\.tres" to "model\.trees"/,
    );
    await p.write('nested.yaml', 'params:\n  model:\n    detph: 2\n');
    expectClean(
      p.strata('run', 'nested.ts', '--config', 'nested.yaml'),
      2,
      /unknown parameter "model\.detph" \(given: 2; did you mean "model\.depth"\?\)/,
    );
    expect(runs()).toBe(before);
    await p.write('nested.yaml', 'params:\n  model:\n    depth: 2\n');
    const ok = p.strata('run', 'nested.ts', '--config', 'nested.yaml', '--param', 'model.trees=7');
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('m=72');
  });

  it('piping into head exits quietly (no EPIPE trace)', () => {
    for (let i = 0; i < 3; i++) {
      const result = spawnSync('sh', ['-c', `"${process.execPath}" "${bin}" runs list --json | head -c 1`], {
        cwd: p.root,
        encoding: 'utf8',
        env: { ...process.env, STRATA_PROJECT_ROOT: p.root, NO_COLOR: '1' },
      });
      expect(result.stderr).toBe('');
    }
  });

  it('strata run piped into head: the run is not ended half-done (it completes, quietly, exit 0)', async () => {
    // More output than a pipe holds, so writes fail with EPIPE while the step is still running.
    await p.write(
      'chatty.ts',
      [
        "import { pipeline, step, t } from '@strata/core';",
        'const c = step({',
        "  name: 'c',",
        '  outputs: { x: t.json<number>() },',
        "  run: async () => { for (let i = 0; i < 3000; i++) console.log('line ' + i + ' ' + 'x'.repeat(60)); await new Promise((r) => setTimeout(r, 500)); return { x: 1 }; },",
        '});',
        "export const chatty = pipeline({ name: 'chatty', body: () => { c(); } });",
        '',
      ].join('\n'),
    );
    const result = spawnSync(
      'sh',
      ['-c', `"${process.execPath}" "${bin}" run chatty.ts --no-cache 2>&1 | head -n 1`],
      { cwd: p.root, encoding: 'utf8', env: { ...process.env, STRATA_PROJECT_ROOT: p.root, NO_COLOR: '1' } },
    );
    expect(result.stdout.split('\n')[0]).toBe(`line 0 ${'x'.repeat(60)}`);
    expect(result.stderr).toBe('');
    const [last] = JSON.parse(p.strata('runs', 'list', '--json').stdout) as {
      pipelineName: string;
      status: string;
    }[];
    expect(last).toMatchObject({ pipelineName: 'chatty', status: 'completed' });
  });

  it('secret set sets one key; a secret in use is not deleted without --force', () => {
    expect(p.strata('secret', 'set', 'creds', 'a=1').code).toBe(0);
    expect(p.strata('secret', 'set', 'creds', 'b=2').code).toBe(0);
    const [secret] = JSON.parse(p.strata('secret', 'list', '--json').stdout) as { keys: string[] }[];
    expect(secret!.keys.sort()).toEqual(['a', 'b']);
    expectClean(p.strata('secret', 'set', 'creds', '--accessKeyId', 'x'), 2);
  });

  it('a credential inside a config map (a webhook header) must be a secret reference', () => {
    expect(p.strata('secret', 'set', 'hook', 'url=http://127.0.0.1:9/x', 'token=T0KEN-IN-SECRET').code).toBe(
      0,
    );
    const register = (headers: string) =>
      p.strata(
        'alerter',
        'register',
        'h',
        '--flavor',
        'webhook',
        '--url',
        '{{secret.hook.url}}',
        '--headers',
        headers,
      );
    const plain = register('{"Authorization":"Bearer PLAINHDR77"}');
    expectClean(plain, 2, /config "headers.Authorization" holds a credential/);
    expect(plain.stdout + plain.stderr).not.toContain('PLAINHDR77');
    expect(p.strata('alerter', 'list').stdout).not.toMatch(/^h\b/m);
    expect(register('{"Authorization":"Bearer {{secret.hook.token}}","x-team":"ml"}').code).toBe(0);
    const described = p.strata('alerter', 'describe', 'h');
    expect(described.stdout).toContain('{{secret.hook.token}}');
    expect(described.stdout).not.toContain('T0KEN-IN-SECRET');
  });

  it('stack rename default does what it says: default does not come back', () => {
    expect(p.strata('stack', 'rename', 'default', 'laptop').code).toBe(0);
    const stacks = JSON.parse(p.strata('stack', 'list', '--json').stdout) as {
      name: string;
      active: boolean;
    }[];
    expect(stacks.map((s) => s.name)).not.toContain('default');
    expect(stacks.find((s) => s.name === 'laptop')?.active).toBe(true);
    expect(p.strata('run', 'demo.ts').code).toBe(0);
  });

  it('read commands outside a project refuse and create nothing; init over a file named .strata', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'strata-empty-'));
    try {
      const run = (...args: string[]) => {
        const r = spawnSync(process.execPath, [bin, ...args], {
          cwd: empty,
          encoding: 'utf8',
          env: { ...process.env, STRATA_PROJECT_ROOT: empty, NO_COLOR: '1' },
        });
        return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
      };
      for (const args of [
        ['runs', 'list'],
        ['artifacts', 'list'],
        ['stack', 'list'],
        ['pipelines', 'list'],
      ])
        expectClean(run(...args), 2, /no Strata project/);
      expect(existsSync(join(empty, '.strata'))).toBe(false);
      await writeFile(join(empty, '.strata'), '');
      expectClean(run('init'), 2, /\.strata exists but is not a folder/);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('schema version rows deleted: refused with a fix instead of "table already exists"', async () => {
    const q = await createTempProject();
    try {
      expect(q.strata('init').code).toBe(0);
      const Database = sqliteDriver();
      const db = new Database(q.path('.strata/strata.db'));
      db.exec('DELETE FROM strata_schema_version');
      db.close();
      expectClean(q.strata('runs', 'list'), 2, /no schema version record/);
    } finally {
      await q.dispose();
    }
  });
});
