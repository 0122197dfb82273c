import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTempProject,
  demoPipelineFile,
  ensureBuilt,
  storeState,
  type TempProject,
} from './temp-project.js';

// Many process starts per test; the machines are 2-core and often busy.
describe('strata CLI end to end (built binary, temp project)', { timeout: 300_000 }, () => {
  let p: TempProject;

  beforeAll(async () => {
    ensureBuilt();
    p = await createTempProject();
    await p.write('demo.ts', await readFile(demoPipelineFile, 'utf8'));
  });
  afterAll(async () => {
    await p?.dispose();
  });

  it('init creates the project with the default stack', () => {
    const init = p.strata('init');
    expect(init.code).toBe(0);
    expect(init.stdout).toContain('active stack: default');
    expect(existsSync(p.path('.strata/config.json'))).toBe(true);
    const list = JSON.parse(p.strata('stack', 'list', '--json').stdout) as {
      name: string;
      active: boolean;
    }[];
    expect(list.find((s) => s.name === 'default')?.active).toBe(true);
  });

  it('switches stacks between two runs of the same pipeline: artifacts land in the new store', async () => {
    expect(
      p.strata('artifact-store', 'register', 'store-a', '--flavor', 'local', '--path', p.path('arts-a')).code,
    ).toBe(0);
    expect(
      p.strata('artifact-store', 'register', 'store-b', '--flavor', 'local', '--path', p.path('arts-b')).code,
    ).toBe(0);
    expect(
      p.strata('orchestrator', 'register', 'serial', '--flavor', 'local', '--concurrency', '1', '--echo-logs')
        .code,
    ).toBe(0);
    const described = JSON.parse(p.strata('orchestrator', 'describe', 'serial', '--json').stdout);
    expect(described.config).toEqual({ concurrency: 1, isolation: 'in-process', echoLogs: true });

    expect(p.strata('stack', 'register', 'stack-a', '-o', 'default', '-a', 'store-a', '--set').code).toBe(0);
    const first = p.strata('run', 'demo.ts');
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('on stack stack-a');
    expect(first.stdout).toMatch(/completed\s+scale/);
    // Each artifact records the store it was written to (small values sit in their metadata row, so
    // the identity, not the files on disk, says where a run put its artifacts).
    const stores = () =>
      (JSON.parse(p.strata('artifacts', 'list', '--json').stdout) as { storeIdentity: string }[]).map(
        (a) => a.storeIdentity,
      );
    const inA = stores();
    expect(inA.length).toBeGreaterThan(0);
    expect(inA.every((s) => s.endsWith('arts-a'))).toBe(true);

    expect(p.strata('stack', 'register', 'stack-b', '-o', 'serial', '-a', 'store-b').code).toBe(0);
    expect(p.strata('stack', 'set', 'stack-b').stdout).toContain('active stack: stack-b');
    const second = p.strata('run', 'demo.ts', '--param', 'factor=3');
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('on stack stack-b');
    const after = stores();
    expect(after.filter((s) => s.endsWith('arts-b')).length).toBeGreaterThan(0);
    expect(after.filter((s) => s.endsWith('arts-a'))).toEqual(inA);

    const runs = JSON.parse(p.strata('runs', 'list', '--json').stdout) as {
      id: string;
      stackName: string;
      params: unknown;
    }[];
    expect(runs.map((r) => r.stackName).sort()).toEqual(['stack-a', 'stack-b']);
    expect(runs.find((r) => r.stackName === 'stack-b')?.params).toEqual({ factor: 3 });
    const shown = JSON.parse(p.strata('runs', 'show', runs[0]!.id, '--json').stdout) as {
      steps: { nodeId: string }[];
    };
    expect(shown.steps.map((s) => s.nodeId).sort()).toEqual(['load', 'scale']);
    const logs = p.strata('runs', 'logs', runs.find((r) => r.stackName === 'stack-b')!.id, '--step', 'scale');
    expect(logs.stdout).toContain('rows by 3');
    expect(JSON.parse(p.strata('pipelines', 'list', '--json').stdout)[0]).toMatchObject({
      name: 'demo',
      runCount: 2,
    });
  });

  it('applies a run config with flags > run config > code defaults', async () => {
    await p.write('run.yaml', 'params:\n  factor: 5\nsteps:\n  scale:\n    cache: false\n');
    const fromConfig = p.strata('run', 'demo.ts', '--config', 'run.yaml', '--json');
    expect(fromConfig.code, fromConfig.stderr).toBe(0);
    expect(JSON.parse(fromConfig.stdout).params).toEqual({ factor: 5 });
    const flagWins = p.strata('run', 'demo.ts', '--config', 'run.yaml', '--param', 'factor=7', '--json');
    const run = JSON.parse(flagWins.stdout);
    expect(run.params).toEqual({ factor: 7 });
    const steps = JSON.parse(p.strata('runs', 'show', run.id, '--json').stdout).steps as {
      nodeId: string;
      status: string;
    }[];
    expect(steps.find((s) => s.nodeId === 'load')?.status).toBe('cached');
    expect(steps.find((s) => s.nodeId === 'scale')?.status).toBe('completed');
  });

  it('round-trips a stack through export and import', async () => {
    const before = JSON.parse(p.strata('stack', 'describe', 'stack-b', '--json').stdout);
    expect(p.strata('stack', 'export', 'stack-b', 'stack-b.yaml').code).toBe(0);
    expect(p.strata('stack', 'set', 'stack-a').code).toBe(0);
    expect(p.strata('stack', 'delete', 'stack-b').code).toBe(0);
    expect(p.strata('stack', 'describe', 'stack-b').code).toBe(2);
    const imported = p.strata('stack', 'import', 'stack-b.yaml', '--json');
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout).reused.sort()).toEqual([
      'artifact_store/store-b',
      'orchestrator/serial',
    ]);
    expect(JSON.parse(p.strata('stack', 'describe', 'stack-b', '--json').stdout)).toEqual({
      ...before,
      active: false,
    });
    const copy = p.strata('stack', 'import', 'stack-b.yaml', '--name', 'stack-c', '--set');
    expect(copy.code, copy.stderr).toBe(0);
    expect(
      JSON.parse(p.strata('stack', 'list', '--json').stdout).find((s: { active: boolean }) => s.active).name,
    ).toBe('stack-c');
    expect(p.strata('stack', 'rename', 'stack-c', 'stack-d').code).toBe(0);
    expect(JSON.parse(await readFile(p.path('.strata/config.json'), 'utf8')).activeStack).toBe('stack-d');
    expect(p.strata('stack', 'copy', 'stack-d', 'stack-e').code).toBe(0);
    expect(p.strata('stack', 'validate', 'stack-e').stdout).toContain('stack-e is valid');
  });

  const badInput: [string, () => Promise<void> | void, string[], RegExp][] = [
    [
      'unknown flavor',
      () => {},
      ['artifact-store', 'register', 'x', '--flavor', 'nope'],
      /unknown artifact_store flavor "nope"[\s\S]*fix: use one of: local/,
    ],
    [
      'wrong type',
      () => {},
      ['orchestrator', 'register', 'o', '--flavor', 'local', '--concurrency', 'many'],
      /"concurrency" must be a number, got "many"/,
    ],
    [
      'out-of-range value',
      () => {},
      ['orchestrator', 'register', 'o', '--flavor', 'local', '--concurrency', '0'],
      /"concurrency" = 0 is invalid[\s\S]*fix:/,
    ],
    [
      'unknown config key',
      () => {},
      ['orchestrator', 'register', 'o', '--flavor', 'local', '--speed', '3'],
      /unknown config key "speed"[\s\S]*--concurrency/,
    ],
    ['unknown stack', () => {}, ['stack', 'set', 'ghost'], /no stack named "ghost"[\s\S]*fix: use one of:/],
    [
      'unknown component',
      () => {},
      ['stack', 'register', 's', '-o', 'ghost', '-a', 'store-a'],
      /no orchestrator named "ghost"/,
    ],
    [
      'duplicate name',
      () => {},
      ['artifact-store', 'register', 'store-a', '--flavor', 'local'],
      /already exists[\s\S]*fix: choose another name/,
    ],
    [
      'deleting a component used by a stack',
      () => {},
      ['artifact-store', 'delete', 'store-a'],
      /cannot delete artifact_store "store-a": used by stack "stack-a"/,
    ],
    [
      'a secret reference to a missing secret',
      () => {},
      ['artifact-store', 'register', 's', '--flavor', 'local', '--path', '{{secret.nope.dir}}'],
      /references secret "nope.dir", which does not exist[\s\S]*strata secret set nope/,
    ],
    [
      'importing malformed YAML',
      () => p.write('bad.yaml', 'strata: 1\nstack: [unclosed\n'),
      ['stack', 'import', 'bad.yaml'],
      /bad.yaml is not a valid stack export/,
    ],
    [
      'importing YAML of the wrong shape',
      () => p.write('shape.yaml', 'strata: 1\nstack: x\ncomponents: 3\n'),
      ['stack', 'import', 'shape.yaml'],
      /"components"/,
    ],
    [
      'a run file that exports no pipeline',
      () => p.write('empty.ts', 'export const x = 1;\n'),
      ['run', 'empty.ts'],
      /empty.ts exports no pipeline[\s\S]*fix: export/,
    ],
    [
      'setting a stack whose validation fails',
      async () => {
        expect(p.strata('secret', 'set', 'dirs', 'path=arts-s').code).toBe(0);
        expect(
          p.strata(
            'artifact-store',
            'register',
            'secret-store',
            '--flavor',
            'local',
            '--path',
            '{{secret.dirs.path}}',
          ).code,
        ).toBe(0);
        expect(p.strata('stack', 'register', 'stack-s', '-o', 'default', '-a', 'secret-store').code).toBe(0);
        // In use by secret-store: refused without --force (exit 2, named), then forced.
        const refused = p.strata('secret', 'delete', 'dirs');
        expect(refused.code).toBe(2);
        expect(refused.stderr).toContain('artifact-store "secret-store"');
        expect(p.strata('secret', 'delete', 'dirs', '--force').code).toBe(0);
      },
      ['stack', 'set', 'stack-s'],
      /references secret "dirs.path", which does not exist/,
    ],
  ];

  for (const [name, prepare, args, message] of badInput) {
    it(`bad input leaves the store unchanged: ${name}`, async () => {
      await prepare();
      const before = await storeState(p);
      const result = p.strata(...args);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).toMatch(/^error: /);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(result.stdout).toBe('');
      expect(await storeState(p)).toBe(before);
    });
  }

  it('prints the stack trace only with --debug', () => {
    const result = p.strata('--debug', 'stack', 'set', 'ghost');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/\n\s+at /);
  });

  it("--debug shows where the user's code threw, through what Strata wrapped it in", async () => {
    await p.write(
      'explode.ts',
      "export function explode(): number {\n  throw new Error('explode at import');\n}\n",
    );
    await p.write(
      'explodes.ts',
      "import { pipeline } from '@strata/core';\nimport { explode } from './explode.js';\nexplode();\nexport const p = pipeline({ name: 'p', body: () => {} });\n",
    );
    const quiet = p.strata('run', 'explodes.ts');
    expect(quiet.code).toBe(2);
    expect(quiet.stderr).not.toMatch(/\n\s+at /);
    const debug = p.strata('--debug', 'run', 'explodes.ts');
    expect(debug.code).toBe(2);
    expect(debug.stderr).toMatch(/caused by: Error: explode at import\n\s+at explode \(.*explode\.ts:2:9\)/);
  });

  it('documents exit codes: usage errors are 2, help is 0', () => {
    expect(p.strata('stack', 'frobnicate').code).toBe(2);
    expect(p.strata('--help').code).toBe(0);
    expect(p.strata('--help').stdout).toContain('artifact-store');
    const groupHelp = p.strata('orchestrator', '--help').stdout;
    expect(groupHelp).toContain('register an orchestrator');
    expect(groupHelp).not.toMatch(/\ba orchestrator/);
  });

  it('prints a completion script for bash and zsh', () => {
    const bash = p.strata('completion', 'bash');
    expect(bash.stdout).toContain('complete -F _strata strata');
    expect(bash.stdout).toContain('"stack") words="register set list');
    expect(p.strata('completion', 'zsh').stdout).toContain('#compdef strata');
  });

  it('prints a mapped step as one line, its outputs counted rather than previewed per instance', async () => {
    await p.write(
      'fan.ts',
      [
        "import { pipeline, step, t } from '@strata/core';",
        "const items = step({ name: 'items', outputs: { list: t.json<number[]>() }, run: () => ({ list: [1, 2, 3] }) });",
        "const square = step({ name: 'square', inputs: { i: t.number() }, outputs: { y: t.number() }, run: ({ i }) => ({ y: i * i }) });",
        "export const fan = pipeline({ name: 'fan', body: () => { const { list } = items(); square.map('i', { i: list }); } });",
      ].join('\n'),
    );
    const run = p.strata('run', 'fan.ts');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/completed\s+square\s+\(collected 3 instances; y: 3 values\)/);
    expect(run.stdout).not.toContain('__item');
  });

  it('artifacts: list, show, lineage and export', async () => {
    const artifacts = JSON.parse(p.strata('artifacts', 'list', '--json').stdout) as {
      id: string;
      sha256: string;
      size: number;
    }[];
    expect(artifacts.length).toBeGreaterThan(0);
    const a = artifacts[0]!;
    expect(JSON.parse(p.strata('artifacts', 'show', a.id.slice(0, 14), '--json').stdout).sha256).toBe(
      a.sha256,
    );
    const lineage = JSON.parse(p.strata('artifacts', 'lineage', a.id, '--json').stdout);
    expect(lineage.producers.length).toBeGreaterThan(0);
    const exported = p.strata('artifacts', 'export', a.id, 'out.bin');
    expect(exported.code, exported.stderr).toBe(0);
    expect((await readFile(p.path('out.bin'))).length).toBe(a.size);
    // An inline artifact (small values sit in their metadata row) exports with any stack.
    const inline = artifacts.find((x) => JSON.stringify(x).includes('"uri":"data:'))!;
    expect(p.strata('--stack', 'stack-a', 'artifacts', 'export', inline.id, 'inline.bin').code).toBe(0);
    expect((await readFile(p.path('inline.bin'))).length).toBe(inline.size);
    // stack-a's store does not hold stack-b's stored artifacts: a clear error, not a crash.
    process.env.STRATA_INLINE_ARTIFACT_BYTES = '0';
    try {
      expect(p.strata('--stack', 'stack-b', 'run', 'demo.ts', '--no-cache').code).toBe(0);
    } finally {
      delete process.env.STRATA_INLINE_ARTIFACT_BYTES;
    }
    const stored = (
      JSON.parse(p.strata('artifacts', 'list', '--json').stdout) as { id: string; uri: string }[]
    ).find((x) => x.uri.includes('arts-b'))!;
    const refused = p.strata('--stack', 'stack-a', 'artifacts', 'export', stored.id, 'x.bin');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/lives in .*arts-b[\s\S]*fix:/);
  });
});
