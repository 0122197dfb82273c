// The docs/plugins.md walkthrough, tested: register the plugin in a temp project through the built
// CLI, configure components of its flavors, run a pipeline on them and check where the bytes went.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTempProject, ensureBuilt, storeState, type TempProject } from '@strata/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const here = fileURLToPath(new URL('.', import.meta.url));
const SECRET = 'tok-5ec7e7-value-never-printed';

async function blobs(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile() && !e.parentPath.includes('.tmp'))
    .map((e) => e.name)
    .sort();
}

describe('examples/custom-plugin: a third-party plugin used through the CLI', { timeout: 300_000 }, () => {
  let p: TempProject;

  beforeAll(async () => {
    ensureBuilt();
    // The temp project resolves @strata/core and zod through this example's node_modules.
    p = await createTempProject({ modulesFrom: 'examples/custom-plugin' });
    expect(p.strata('init').code).toBe(0);
    // Section 10 of docs/plugins.md: list the plugin in .strata/config.json.
    const config = JSON.parse(await readFile(p.path('.strata/config.json'), 'utf8'));
    await writeFile(
      p.path('.strata/config.json'),
      JSON.stringify({ ...config, plugins: [join(here, 'index.ts')] }, null, 2),
    );
  });
  afterAll(async () => {
    await p?.dispose();
  });

  it('lists and describes the new flavors from their zod schemas', () => {
    expect(p.strata('artifact-store', 'flavor', 'list').stdout).toMatch(
      /mirror\s+@strata-examples\/custom-plugin/,
    );
    const schema = JSON.parse(p.strata('artifact-store', 'flavor', 'describe', 'mirror', '--json').stdout);
    expect(schema.fields).toEqual([
      expect.objectContaining({ field: 'path', type: 'string', required: true, secret: false }),
      expect.objectContaining({ field: 'mirror', type: 'string', required: true, secret: false }),
      expect.objectContaining({ field: 'token', type: 'string', required: false, secret: true }),
    ]);
    expect(p.strata('orchestrator', 'flavor', 'describe', 'sequential').stdout).toMatch(
      /--require-mirror\s+boolean\s+false/,
    );
  });

  it('rejects a missing required config key and a plain value for a secret field, changing nothing', async () => {
    const before = await storeState(p);
    const missing = p.strata('artifact-store', 'register', 'm', '--flavor', 'mirror', '--path', 'primary');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/missing required config key "mirror"[\s\S]*--mirror <value>/);
    const plain = p.strata(
      'artifact-store',
      'register',
      'm',
      '--flavor',
      'mirror',
      '--path',
      'a',
      '--mirror',
      'b',
      '--token',
      SECRET,
    );
    expect(plain.code).toBe(2);
    expect(plain.stderr).toMatch(/"token" is secret/);
    expect(await storeState(p)).toBe(before);
  });

  it('enforces the orchestrator composition rule when a stack is registered', async () => {
    expect(
      p.strata('orchestrator', 'register', 'strict', '--flavor', 'sequential', '--require-mirror', 'true')
        .code,
    ).toBe(0);
    const before = await storeState(p);
    const bad = p.strata('stack', 'register', 'bad', '-o', 'strict', '-a', 'default');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/requireMirror set, but the artifact store is "local"/);
    // The problem is said once; the fix line says how to change a stack, not the problem again.
    expect(bad.stderr.match(/requireMirror set/g)).toHaveLength(1);
    expect(bad.stderr).toMatch(/fix: change the component a problem names/);
    expect(await storeState(p)).toBe(before);
  });

  it('runs a pipeline on the plugin stack: artifacts land in both directories; the secret never leaks', async () => {
    expect(p.strata('secret', 'set', 'mirror-creds', `token=${SECRET}`).code).toBe(0);
    const register = p.strata(
      'artifact-store',
      'register',
      'mirrored',
      '--flavor',
      'mirror',
      '--path',
      'primary',
      '--mirror',
      'copy',
      '--token',
      '{{secret.mirror-creds.token}}',
    );
    expect(register.code, register.stderr).toBe(0);
    expect(
      p.strata('stack', 'register', 'plugin-stack', '-o', 'strict', '-a', 'mirrored', '--set').code,
    ).toBe(0);

    const run = p.strata('run', join(here, 'pipeline.ts'), '--json');
    expect(run.code, run.stderr).toBe(0);
    const record = JSON.parse(run.stdout);
    expect(record).toMatchObject({
      status: 'completed',
      stackName: 'plugin-stack',
      orchestrator: 'sequential',
    });

    const primary = await blobs(p.path('primary'));
    expect(primary.length).toBe(2);
    expect(await blobs(p.path('copy'))).toEqual(primary);
    const artifacts = JSON.parse(p.strata('artifacts', 'list', '--json').stdout) as { uri: string }[];
    expect(artifacts.every((a) => a.uri.includes('/primary/'))).toBe(true);

    for (const args of [
      ['stack', 'describe'],
      ['stack', 'describe', '--json'],
      ['artifact-store', 'describe', 'mirrored'],
      ['artifact-store', 'describe', 'mirrored', '--json'],
      ['secret', 'list', '--json'],
      ['runs', 'show', record.id, '--json'],
      ['stack', 'export', 'plugin-stack', '-'],
    ]) {
      const out = p.strata(...args);
      expect(out.code, args.join(' ')).toBe(0);
    }
    expect(p.strata('secret', 'list').stdout).toMatch(/mirror-creds\s+token/);
    for (const output of p.outputs) expect(output).not.toContain(SECRET);
    for (const file of await readdir(p.path('.strata'))) {
      if (file.startsWith('strata.db'))
        expect((await readFile(p.path('.strata', file))).includes(SECRET)).toBe(false);
    }
  });
});
