// A pipeline on the team store: the local orchestrator and artifact store with the metadata on a real
// PostgreSQL server, in-process and with process isolation (child step processes reach the same
// database), checked through the Client.
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bin,
  createTempProject,
  ensureBuilt,
  type TempProject,
} from '../packages/cli/src/e2e/temp-project.js';
import { Client, type Stack } from '../packages/core/src/index.js';
import { type PostgresTargets, postgresTargets } from '../packages/metadata/src/testing/index.js';
import { openStack } from '../packages/project/src/index.js';

const serverUrl = process.env.STRATA_TEST_POSTGRES_URL;

const pipelineFile = `
import { pipeline, step, t } from '@strata/core';

const load = step({
  name: 'load',
  outputs: { rows: t.json<number[]>(), pid: t.number() },
  cache: false,
  run: (_inputs, _params, ctx) => {
    ctx.logger.info('loading 3 rows');
    return { rows: [1, 2, 3], pid: process.pid };
  },
});

const total = step({
  name: 'total',
  inputs: { rows: t.json<number[]>() },
  outputs: { sum: t.number(), pid: t.number() },
  cache: false,
  run: ({ rows }, _params, ctx) => {
    ctx.logger.info(\`summing \${rows.length} rows\`);
    return { sum: rows.reduce((a, b) => a + b, 0), pid: process.pid };
  },
});

export const team = pipeline({
  name: 'team',
  body: () => {
    const { rows } = load();
    total({ rows });
  },
});
`;

describe('a pipeline on the PostgreSQL metadata store', { timeout: 600_000 }, () => {
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
  let password = '';
  let urlWithPassword = '';
  const strata = (env: Record<string, string>, ...args: string[]) => {
    const base: NodeJS.ProcessEnv = { ...process.env, STRATA_PROJECT_ROOT: p.root, NO_COLOR: '1', ...env };
    delete base.STRATA_STACK;
    if (!env.STRATA_DATABASE_URL) delete base.STRATA_DATABASE_URL;
    const result = spawnSync(process.execPath, [bin, ...args], { cwd: p.root, encoding: 'utf8', env: base });
    expect(result.status, `strata ${args.join(' ')}\n${result.stderr}`).toBe(0);
    expect(`${result.stdout}${result.stderr}`).not.toContain(`:${password}@`);
    return result.stdout;
  };

  beforeAll(async () => {
    ensureBuilt();
    targets = await postgresTargets(serverUrl);
    p = await createTempProject();
    await writeFile(p.path('team.ts'), pipelineFile);
    const url = new URL(targets.databaseUrl);
    password = decodeURIComponent(url.password);
    url.searchParams.set('schema', 'ml');
    urlWithPassword = url.toString();
    url.password = '';
    // The project names the database; the password is a secret reference, resolved in memory.
    strata({}, 'init');
    strata({}, 'secret', 'set', 'teamdb', `password=${password}`);
    await writeFile(
      p.path('.strata/config.json'),
      JSON.stringify({ databaseUrl: url.toString(), databasePasswordSecret: 'teamdb.password' }),
    );
    strata({}, 'orchestrator', 'register', 'procs', '--flavor', 'local', '--isolation', 'process');
    strata({}, 'stack', 'register', 'isolated', '-o', 'procs', '-a', 'default');
  });
  afterAll(async () => {
    await p?.dispose();
    await targets?.dispose();
  });

  const check = async (stack: Stack, runId: string) => {
    const client = new Client(stack);
    const run = await client.run(runId);
    expect(run.status).toBe('completed');
    expect(run.steps().map((s) => [s.name, s.status])).toEqual([
      ['load', 'completed'],
      ['total', 'completed'],
    ]);
    expect(await run.step('total').output('sum').load()).toBe(6);
    expect((await run.step('total').logs()).map((l) => l.message)).toEqual(['summing 3 rows']);
    const sum = await run.step('total').output('sum').artifact();
    const lineage = await sum.lineage();
    expect(lineage.upstream.producer?.nodeId).toBe('total');
    expect(lineage.upstream.inputs.map((i) => [i.name, i.node.producer?.nodeId])).toEqual([['rows', 'load']]);
    const rows = (await run.step('load').output('rows').artifact()).id;
    expect((await (await client.artifact(rows)).lineage()).downstream.map((d) => d.consumer.nodeId)).toEqual([
      'total',
    ]);
    expect(JSON.stringify(run.record)).not.toContain(`:${password}@`);
    return {
      load: await run.step('load').output('pid').load<number>(),
      total: await run.step('total').output('pid').load<number>(),
    };
  };

  it('runs in process and in child processes, every row on PostgreSQL', async () => {
    // In process, the URL from the project config + secret.
    const inProcess = JSON.parse(strata({}, 'run', 'team.ts', '--json')) as { id?: string; runId?: string };
    // Process isolation, the URL (with its password) from STRATA_DATABASE_URL, inherited by each step process.
    const isolated = JSON.parse(
      strata({ STRATA_DATABASE_URL: urlWithPassword }, 'run', 'team.ts', '--stack', 'isolated', '--json'),
    ) as { id?: string; runId?: string };
    // `stack describe` names the store with the password redacted.
    const described = JSON.parse(strata({}, 'stack', 'describe', 'isolated', '--json')) as {
      database: string;
    };
    expect(described.database).toMatch(/^postgres:\/\/[^:]+:\*\*\*@.*schema=ml/);
    expect(strata({}, 'stack', 'describe')).toContain('metadata store: postgres://');
    const stack = await openStack({ cwd: p.root });
    try {
      expect(stack.database.url).toMatch(/^postgres:\/\/[^:]+:\*\*\*@.*schema=ml/);
      const a = await check(stack, (inProcess.id ?? inProcess.runId)!);
      expect(a.load).toBe(a.total);
      const b = await check(stack, (isolated.id ?? isolated.runId)!);
      expect(b.load).not.toBe(b.total);
      expect([b.load, b.total]).not.toContain(a.load);
      expect(
        (await stack.database.listRuns({ pipelineName: 'team' })).map((r) => r.stackName).sort(),
      ).toEqual(['default', 'isolated']);
    } finally {
      await stack.close();
    }
  });
});
