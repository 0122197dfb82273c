// Runs the walkthrough of docs/team-mode.md against the built binary and a real PostgreSQL server,
// then reads the laptop store and the team store through the Client: same history.
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempProject, ensureBuilt, type TempProject } from '../packages/cli/src/e2e/temp-project.js';
import { Client, type Stack } from '../packages/core/src/index.js';
import { openDatabase } from '../packages/metadata/src/index.js';
import { type PostgresTargets, postgresTargets } from '../packages/metadata/src/testing/index.js';
import { openStack } from '../packages/project/src/index.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const serverUrl = process.env.STRATA_TEST_POSTGRES_URL;

async function walkthrough(): Promise<{ laptop: string[][]; config: string; team: string[][] }> {
  const section = (await readFile(join(here, 'team-mode.md'), 'utf8')).split('## Walkthrough')[1]!;
  const blocks = [...section.matchAll(/```(sh|json)\n([\s\S]*?)```/g)].map((m) => m[2]!);
  const commands = (text: string) =>
    text
      .trim()
      .split('\n')
      .map((line) => line.trim().split(/\s+/));
  return { laptop: commands(blocks[0]!), config: blocks[1]!, team: commands(blocks[2]!) };
}

/** Everything the Client shows about a run, loaded values included: equal for equal histories. */
async function view(client: Client, runId: string): Promise<unknown> {
  const run = await client.run(runId);
  const steps = [];
  for (const step of run.steps()) {
    const outputs: Record<string, unknown> = {};
    for (const [name, output] of Object.entries(await step.outputs())) {
      const artifact = await output.artifact();
      outputs[name] = {
        sha256: artifact.record.sha256,
        value: await output.load(),
        lineage: await artifact.lineage(),
      };
    }
    const inputs = Object.fromEntries(
      Object.entries(await step.inputs()).map(([k, list]) => [k, list.map((a) => a.id)]),
    );
    steps.push({
      name: step.name,
      status: step.status,
      cacheReason: step.cacheReason,
      logs: (await step.logs()).map((l) => l.message),
      outputs,
      inputs,
    });
  }
  return { id: run.id, status: run.status, record: run.record, steps, metadata: await run.metadata() };
}

describe('docs/team-mode.md walkthrough (PostgreSQL)', { timeout: 600_000 }, () => {
  if (!serverUrl) {
    it('needs a PostgreSQL server', () => {
      throw new Error(
        'STRATA_TEST_POSTGRES_URL is not set: run `bash scripts/services/postgres.sh` and `source .services/env`',
      );
    });
    return;
  }
  let p: TempProject;
  let targets: PostgresTargets;
  beforeAll(async () => {
    ensureBuilt();
    targets = await postgresTargets(serverUrl);
    p = await createTempProject();
    await copyFile(join(here, '../packages/cli/src/e2e/fixtures/demo.ts'), p.path('demo.ts'));
  });
  afterAll(async () => {
    await p?.dispose();
    await targets?.dispose();
  });

  it('moves a laptop project to PostgreSQL with its history, readable through the Client', async () => {
    const { laptop, config, team } = await walkthrough();
    const database = new URL(targets.databaseUrl);
    const password = decodeURIComponent(database.password);
    database.password = '';
    const teamUrl = `${database.toString()}?schema=ml_team`;
    const run = (args: string[]) => {
      const result = p.strata(
        ...args.map((a) => (a.includes('TEAM_PASSWORD') ? a.replace('TEAM_PASSWORD', password) : a)),
      );
      expect(result.code, `strata ${args.join(' ')}\n${result.stderr}`).toBe(0);
      return result;
    };
    for (const [program, ...args] of laptop) {
      expect(program).toBe('strata');
      run(args);
    }
    const laptopDb = p.path('.strata/strata.db');
    await writeFile(
      p.path('.strata/config.json'),
      config.replace('postgres://strata@db.internal:5432/strata?schema=ml_team', teamUrl),
    );
    expect(await readFile(p.path('.strata/config.json'), 'utf8')).toContain(teamUrl);
    const outputs: string[] = [];
    const lastRun = team.at(-1)!;
    expect(lastRun.slice(0, 2)).toEqual(['strata', 'run']);
    for (const [program, ...args] of team.slice(0, -1)) {
      expect(program).toBe('strata');
      outputs.push(run(args).stdout);
    }
    expect(outputs[0]).toMatch(/schema version 0 of \d+ \(behind: \d+ pending\)/);
    expect(outputs[2]).toMatch(/imported \d+ rows \(2 runs, 4 step runs, 3 artifacts, 1 stacks/);

    // The Client on the laptop store and on the team store: the same history.
    const sqlite = await openDatabase(laptopDb, { migrate: false });
    let stack: Stack | undefined;
    try {
      stack = await openStack({ cwd: p.root });
      expect(stack.database.url).toMatch(/^postgres:\/\/strata:\*\*\*@/);
      const teamClient = new Client(stack);
      const laptopClient = new Client({ ...stack, database: sqlite });
      const laptopRuns = await laptopClient.pipeline('demo').runs();
      expect(laptopRuns).toHaveLength(2);
      for (const r of laptopRuns)
        expect(await view(teamClient, r.id)).toEqual(await view(laptopClient, r.id));

      // A run recorded on PostgreSQL reuses the cache entries made on the laptop.
      run(lastRun.slice(1));
      const teamRuns = await teamClient.pipeline('demo').runs();
      expect(teamRuns).toHaveLength(3);
      const latest = await teamClient.pipeline('demo').latestRun();
      expect(latest.steps().map((s) => [s.name, s.status])).toEqual([
        ['load', 'cached'],
        ['scale', 'cached'],
      ]);
      expect(await latest.step('scale').output('scaled').load()).toEqual([10, 20, 30]);
    } finally {
      await stack?.close();
      await sqlite.close();
    }
    for (const output of p.outputs) expect(output).not.toContain(`:${password}@`);
  });
});
