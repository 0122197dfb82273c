import { execFile } from 'node:child_process';
import { copyFile, readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { openDatabase } from '@strata/metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServerTestProject, type ServerTestProject } from './testing/project.js';
import { type ServerProcess, startServerProcess, workspace } from './testing/server-process.js';

const run = promisify(execFile);
const page = await readFile(`${workspace}/docs/server.md`, 'utf8');

/** The `sh` block after the "tested" marker in docs/server.md, as commands (continuations joined). */
function documentedCommands(): string[] {
  const marker = page.indexOf('<!-- tested: packages/server/src/docs-examples.int.spec.ts -->');
  const block = /```sh\n([\s\S]*?)```/.exec(page.slice(marker))![1]!;
  return block
    .replace(/\\\n\s*/g, '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('curl '));
}

describe('the curl examples of docs/server.md, run as written against a real server', {
  timeout: 300_000,
}, () => {
  let project: ServerTestProject;
  let server: ServerProcess;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    project = await createServerTestProject();
    await copyFile(`${workspace}/examples/concepts/readme.ts`, `${project.root}/demo.ts`);
    const r = await project.strata('run', 'demo.ts');
    expect(r.code, r.stderr).toBe(0);
    const runId = /run (r-\S+) completed/.exec(r.stdout + r.stderr)![1]!;
    const db = await openDatabase(`${project.root}/.strata/strata.db`);
    try {
      const [artifact] = await db.listArtifacts({ limit: 1 });
      await db.registerModelVersion({
        model: 'clf',
        artifactId: artifact!.id,
        runId,
        metrics: null,
        metadata: null,
      });
    } finally {
      await db.close();
    }
    const token = await project.strata('server', 'token', 'create', 'docs', '--scope', 'write');
    expect(token.code, token.stderr).toBe(0);
    server = await startServerProcess(project.root);
    env = { ...process.env, STRATA: `${server.url}/api/v1`, TOKEN: token.stdout.trim(), RUN: runId };
  }, 300_000);

  afterAll(async () => {
    await server?.stop();
    await project?.dispose();
  });

  it('finds the documented commands', () => {
    expect(documentedCommands().length).toBeGreaterThanOrEqual(8);
  });

  it('answers every request command with JSON, and the write with the alias change', async () => {
    const answers: unknown[] = [];
    for (const command of documentedCommands().filter((c) => !c.includes('/events'))) {
      // `-f`: curl exits non-zero on any HTTP error, so a broken example fails here
      const { stdout } = await run('bash', ['-c', command], { env });
      answers.push(JSON.parse(stdout));
    }
    type Answer = { items: { pipelineName: string; kind: string }[]; nodes: unknown[] };
    const [runs, dag, step, logs, artifacts, lineage, metrics, promoted] = answers as Answer[];
    expect(runs!.items.map((r) => r.pipelineName)).toEqual(['demo']);
    expect(dag!.nodes).toHaveLength(2);
    expect(step).toMatchObject({ params: { factor: 10 } });
    expect(JSON.stringify(logs)).toContain('scaling 3 rows');
    expect(artifacts!.items.every((a) => a.kind === 'json')).toBe(true);
    expect(lineage!.nodes.length).toBeGreaterThan(0);
    expect(metrics).toMatchObject({ pipeline: 'demo' });
    expect(promoted).toMatchObject({ model: 'clf', version: 1, alias: 'production' });
  });

  it('streams events with the documented command', async () => {
    const command = documentedCommands().find((c) => c.includes('/events'))!;
    const streamed = await run('bash', ['-c', `timeout 3 ${command}\ntrue`], { env });
    expect(streamed.stdout).toContain('event: ready');
  });
});
