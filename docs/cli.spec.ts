// Runs the walkthrough block of docs/cli.md, command by command, against the built binary.
import { copyFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempProject, ensureBuilt, type TempProject } from '../packages/cli/src/e2e/temp-project.js';

const here = fileURLToPath(new URL('.', import.meta.url));

async function walkthrough(): Promise<string[][]> {
  const doc = await readFile(join(here, 'cli.md'), 'utf8');
  const block = doc.split('## Walkthrough')[1]!.split('```sh\n')[1]!.split('```')[0]!;
  return block
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/));
}

// Many process starts; the machines are 2-core and often busy.
describe('docs/cli.md walkthrough', { timeout: 600_000 }, () => {
  let p: TempProject;
  beforeAll(async () => {
    ensureBuilt();
    p = await createTempProject();
    await copyFile(join(here, '../packages/cli/src/e2e/fixtures/demo.ts'), p.path('demo.ts'));
    await copyFile(join(here, 'cli/run.yaml'), p.path('run.yaml'));
  });
  afterAll(async () => {
    await p?.dispose();
  });

  it('every documented command succeeds, in order', async () => {
    const commands = await walkthrough();
    expect(commands.length).toBeGreaterThan(10);
    for (const [program, ...args] of commands) {
      expect(program).toBe('strata');
      const result = p.strata(...args);
      expect(result.code, `strata ${args.join(' ')}\n${result.stderr}`).toBe(0);
    }
    const runs = JSON.parse(p.strata('runs', 'list', '--json').stdout) as {
      params: { factor: number };
      stackName: string;
    }[];
    // Newest first: the default-stack run (code default 10), the run config (5), the --param run (3).
    expect(runs.map((r) => [r.stackName, r.params.factor])).toEqual([
      ['default', 10],
      ['laptop', 5],
      ['laptop', 3],
    ]);
    expect(JSON.parse(p.strata('stack', 'describe', 'laptop-copy', '--json').stdout).components).toHaveLength(
      2,
    );
    for (const output of p.outputs) expect(output).not.toContain('s3cr3t');
  });
});
