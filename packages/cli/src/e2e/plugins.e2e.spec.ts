import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempProject, ensureBuilt, type TempProject } from './temp-project.js';

const fixture = (name: string) => readFile(new URL(`./fixtures/plugins/${name}`, import.meta.url), 'utf8');

describe('plugins through the CLI: materializers, core range, flavor collisions, zod 4', () => {
  let p: TempProject;
  let config: Record<string, unknown>;
  const usePlugins = (plugins: string[]) =>
    p.write('.strata/config.json', JSON.stringify({ ...config, plugins }));

  beforeAll(async () => {
    ensureBuilt();
    p = await createTempProject();
    expect(p.strata('init').code).toBe(0);
    config = JSON.parse(await readFile(p.path('.strata/config.json'), 'utf8'));
    for (const f of [
      'lines-plugin.ts',
      'lines-pipeline.ts',
      'duplicate-local.ts',
      'future-core.ts',
      'zod3-config.ts',
    ])
      await p.write(f, await fixture(f));
  });
  afterAll(() => p.dispose());

  it("applies a plugin's materializer to CLI runs, in-process and in child processes", async () => {
    const without = p.strata('run', 'lines-pipeline.ts');
    expect(without.code).not.toBe(0);
    expect(without.stdout + without.stderr).toContain('unknown materializer "lines"');

    await usePlugins(['./lines-plugin.ts']);
    const run = p.strata('run', 'lines-pipeline.ts');
    expect(run.code, run.stderr).toBe(0);

    // child processes (the step entry program, as in containers and Temporal workers) load it too
    expect(
      p.strata('orchestrator', 'register', 'proc', '--flavor', 'local', '--isolation', 'process').code,
    ).toBe(0);
    expect(p.strata('stack', 'register', 'proc', '-o', 'proc', '-a', 'default').code).toBe(0);
    const isolated = p.strata('--stack', 'proc', 'run', 'lines-pipeline.ts', '--no-cache');
    expect(isolated.code, isolated.stderr).toBe(0);
    const id = /run (r-[\w-]+)/.exec(isolated.stdout + isolated.stderr)?.[1];
    expect(id).toBeDefined();
    const logs = p.strata('runs', 'logs', id!);
    expect(logs.stdout).toContain('read alpha+beta+gamma');
  });

  it('refuses a plugin built for another core, naming both versions', async () => {
    await usePlugins(['./future-core.ts']);
    const r = p.strata('orchestrator', 'flavor', 'list');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'plugin "future-core" supports @strata/core ^9.0.0, but this is @strata/core 0.1.0',
    );
  });

  it('refuses two packages declaring the same flavor, naming both', async () => {
    await usePlugins(['./duplicate-local.ts']);
    const r = p.strata('orchestrator', 'flavor', 'list');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'orchestrator flavor "local" is declared by both "@strata/local" and "duplicate-local"',
    );
  });

  it('refuses a zod 3 config schema with a clear error instead of crashing', async () => {
    await usePlugins(['./zod3-config.ts']);
    const r = p.strata('artifact-store', 'flavor', 'describe', 'zod3-store');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'the config of artifact_store flavor "zod3-store" is not a zod 4 schema (it looks like zod 3)',
    );
    expect(r.stderr).toContain("import { z } from 'zod'");
  });
});
