import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bin, createTempProject, ensureBuilt, type TempProject } from '../../e2e/temp-project.js';

// A project whose pipeline is the penguins example's, run through the built `strata` binary.
const pipelineFile = `export { penguins } from '${new URL('../../../../../examples/penguins/pipeline.ts', import.meta.url).pathname}';\n`;

describe('strata models and strata serve', () => {
  let project: TempProject;
  beforeAll(async () => {
    ensureBuilt();
    project = await createTempProject({ modulesFrom: 'examples/penguins' });
    await project.write('pipeline.ts', pipelineFile);
    expect(project.strata('init').code).toBe(0);
    for (const trees of [1, 20]) {
      const run = project.strata(
        'run',
        'pipeline.ts',
        '--param',
        `hyperParameters={"nEstimators":${trees},"maxDepth":${trees === 1 ? 1 : 0}}`,
      );
      expect(run.code, run.stderr).toBe(0);
    }
  });
  afterAll(() => project.dispose());

  it('lists, shows, promotes and rolls back versions, recording who and why', () => {
    const list = project.strata('models', 'list', '--json');
    expect(JSON.parse(list.stdout)).toMatchObject([
      { name: 'penguins', latestVersion: 2, aliases: { production: 2 } },
    ]);
    const versions = JSON.parse(project.strata('models', 'versions', 'penguins', '--json').stdout);
    expect(versions.versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    const rollback = project.strata('models', 'rollback', 'penguins', '--reason', 'bad canary');
    expect(rollback.stdout).toContain('rolled back to v1 (was v2)');
    expect(project.strata('models', 'rollback', 'penguins', '--reason', 'again').code).not.toBe(0);
    expect(project.strata('models', 'promote', 'penguins', '2').stdout).toContain(
      'penguins@production -> v2 (was v1)',
    );
    const show = JSON.parse(project.strata('models', 'show', 'penguins@production', '--json').stdout);
    expect(show.version.version).toBe(2);
    expect(show.history.map((c: { action: string }) => c.action)).toEqual([
      'promote',
      'promote',
      'rollback',
      'promote',
    ]);
    expect(show.history[2]).toMatchObject({ reason: 'bad canary' });
    expect(project.strata('models', 'promote', 'penguins', 'two').stderr).toMatch(/not a version number/);
  });

  it('refuses to promote a version its gate did not bless unless --force, which the history records', () => {
    const production = () =>
      JSON.parse(project.strata('models', 'list', '--json').stdout)[0].aliases.production as number;
    // One tree of depth 1 is worse than v2 (20 trees): the gate does not bless v3 and push leaves it.
    const run = project.strata(
      'run',
      'pipeline.ts',
      '--param',
      'hyperParameters={"nEstimators":1,"maxDepth":1}',
    );
    expect(run.code, run.stderr).toBe(0);
    expect(production()).toBe(2);
    const refused = project.strata('models', 'promote', 'penguins', '3', '--reason', 'try it');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('penguins v3 was not blessed by its evaluation gate');
    expect(refused.stderr).toMatch(/gate: Not blessed: accuracy [\d.]+ vs the baseline's/);
    expect(refused.stderr).toContain('pass --force to promote v3 anyway');
    expect(production()).toBe(2);

    const forced = project.strata('models', 'promote', 'penguins', '3', '--force', '--reason', 'hotfix');
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toMatch(
      /penguins@production -> v3 \(was v2\), forced past the gate \(Not blessed: /,
    );
    const show = JSON.parse(project.strata('models', 'show', 'penguins@production', '--json').stdout);
    expect(show.version.version).toBe(3);
    expect(show.history.at(-1).reason).toMatch(/^hotfix \[forced past the gate: Not blessed: /);
    expect(project.strata('models', 'rollback', 'penguins', '--reason', 'undo').code).toBe(0);
    expect(production()).toBe(2);
  });

  it('names an unknown model and a bad alias, exit 2, moving nothing', () => {
    const before = project.strata('models', 'show', 'penguins', '--json').stdout;
    const rollback = project.strata('models', 'rollback', 'nosuchmodel', '--reason', 'x');
    expect(rollback.code).toBe(2);
    expect(rollback.stderr).toContain('no model named "nosuchmodel"');
    expect(rollback.stderr).toContain('strata models list');
    const promote = project.strata('models', 'promote', 'nosuchmodel', '1');
    expect(promote.code).toBe(2);
    expect(promote.stderr).toContain('model "nosuchmodel" is not registered');
    for (const command of [
      ['promote', 'penguins', '2', '--alias', 'bad alias!'],
      ['rollback', 'penguins', '--alias', 'bad alias!', '--reason', 'x'],
    ]) {
      const bad = project.strata('models', ...command);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('alias "bad alias!" is not a valid alias name');
      expect(bad.stderr).toContain('fix: name it with letters, digits');
    }
    const version = project.strata('models', 'show', 'penguins@99');
    expect(version.code).toBe(2);
    expect(version.stderr).toContain('model "penguins" has no version 99 (it has v1, v2, v3)');
    const alias = project.strata('models', 'rollback', 'penguins', '--alias', 'staging', '--reason', 'x');
    expect(alias.code).toBe(2);
    expect(alias.stderr).toContain('model "penguins" has no alias "staging": there is nothing to roll back');
    const versions = project.strata('models', 'versions', 'nosuchmodel');
    expect(versions.code).toBe(2);
    expect(versions.stderr).toContain('no model named "nosuchmodel"');
    expect(project.strata('models', 'show', 'penguins', '--json').stdout).toBe(before);
  });

  it("versions shows each version's gate and its scalar metrics; describe is show", () => {
    const table = project.strata('models', 'versions', 'penguins');
    expect(table.code, table.stderr).toBe(0);
    const rows = table.stdout.trim().split('\n');
    expect(rows[0]).toMatch(/^VERSION +ALIASES +GATE +RUN/);
    expect(rows[2]).toMatch(/^v2 +production +blessed /);
    expect(rows[3]).toMatch(/^v3 +- +not blessed /);
    expect(rows[3]).toMatch(/accuracy=0\.\d+ /);
    // The confusion matrix and per-class table stay in --json and show: they made rows 600 characters wide.
    expect(table.stdout).not.toContain('confusionMatrix');
    expect(
      JSON.stringify(JSON.parse(project.strata('models', 'versions', 'penguins', '--json').stdout)),
    ).toContain('confusionMatrix');
    const describe = project.strata('models', 'describe', 'penguins@production', '--json');
    expect(describe.code, describe.stderr).toBe(0);
    expect(JSON.parse(describe.stdout).version.version).toBe(2);
  });

  it("reads the --stack stack's model registry, and says which stack has none", () => {
    expect(project.strata('stack', 'register', 'bare', '-o', 'default', '-a', 'default').code).toBe(0);
    const bare = project.strata('--stack', 'bare', 'models', 'list');
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('stack "bare" has no model_registry');
    expect(bare.stderr).toContain('strata stack update bare --model-registry');
    expect(project.strata('models', 'list', '--stack', 'bare').code).toBe(2);
    expect(JSON.parse(project.strata('--stack', 'default', 'models', 'list', '--json').stdout)).toHaveLength(
      1,
    );
  });

  it('serves MODEL@production until stopped', async () => {
    const child = spawn(process.execPath, [bin, 'serve', 'penguins@production', '--port', '0'], {
      cwd: project.root,
      env: { ...process.env, STRATA_PROJECT_ROOT: project.root, NO_COLOR: '1' },
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d) => {
          out += d;
          const m = /at (http:\/\/\S+)/.exec(out);
          if (m) resolve(m[1]!);
        });
        child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
      });
      expect(await (await fetch(`${url}/health`)).json()).toMatchObject({
        status: 'ok',
        model: 'penguins',
        version: 2,
      });
    } finally {
      child.kill('SIGTERM');
    }
  });
});
