/**
 * The whole continuous-training loop, unattended, through the built CLI in a temp project made from
 * examples/continuous-training: `strata agent` and `strata serve` are real processes, alerts go to a
 * real HTTP receiver on loopback through the webhook alerter. Every wait is for a state, bounded.
 *
 * day-1.csv lands -> new-data trigger -> retrain run (validate, train, evaluate, gate blesses, push
 * promotes v1) -> `strata serve penguins@production` serves v1 -> day-2.csv lands -> second run
 * promotes v2 -> the server swaps to v2 -> feedback shows v2 is wrong -> the server rolls back to v1
 * and alerts -> the model-health trigger fires a retraining run -> it completes.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bin, createTempProject, ensureBuilt, type TempProject, workspace } from './temp-project.js';

const example = join(workspace, 'examples/continuous-training');

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 240_000,
) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

interface Firing {
  status: string;
  runId: string;
  runStatus: string | null;
  reason: string;
}

interface Alert {
  kind: string;
  title: string;
  fields: Record<string, unknown>;
}

describe('continuous training, the whole loop (agent + serve + webhook, built CLI)', {
  timeout: 900_000,
}, () => {
  let p: TempProject;
  const children: ChildProcess[] = [];
  let receiver: Server;
  const alerts: Alert[] = [];
  let log = '';

  const spawnStrata = (...args: string[]) => {
    const env: NodeJS.ProcessEnv = { ...process.env, STRATA_PROJECT_ROOT: p.root, NO_COLOR: '1' };
    delete env.STRATA_STACK;
    delete env.STRATA_DATABASE_URL;
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: p.root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d) => (log += d));
    child.stderr!.on('data', (d) => (log += d));
    children.push(child);
    return child;
  };
  const history = (name: string) =>
    JSON.parse(p.strata('trigger', 'history', name, '--json').stdout) as Firing[];
  const completedFirings = (name: string, n: number) =>
    until(`${n} completed run(s) of ${name}`, () => {
      const rows = history(name);
      const failed = rows.find((r) => r.runStatus === 'failed' || r.status === 'failed');
      if (failed) throw new Error(`${name} firing failed: ${JSON.stringify(failed)}\n${log.slice(-4000)}`);
      return rows.filter((r) => r.runStatus === 'completed').length >= n ? rows : undefined;
    });

  beforeAll(async () => {
    ensureBuilt();
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        alerts.push(JSON.parse(body) as Alert);
        res.writeHead(204).end();
      });
    });
    receiver.listen(0, '127.0.0.1');
    await once(receiver, 'listening');
    p = await createTempProject({ modulesFrom: 'examples/continuous-training' });
    for (const file of ['pipeline.ts', 'prepare-data.ts'])
      await p.write(file, await readFile(join(example, file), 'utf8'));
    expect(p.strata('init').code).toBe(0);
    await mkdir(p.path('incoming'));
    const prepared = spawnSync(process.execPath, ['--import', 'tsx', 'prepare-data.ts', 'drops', '3'], {
      cwd: p.root,
      encoding: 'utf8',
    });
    expect(prepared.status, prepared.stderr).toBe(0);
  });
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    receiver?.close();
    await p?.dispose();
  });

  it('new CSV -> train -> gate -> promote -> serve swaps -> degraded -> rollback + alert -> retraining', async () => {
    const { port } = receiver.address() as AddressInfo;
    const setup = [
      // The webhook URL is a secret (a real one carries a token): stored once, referenced by the alerter.
      ['secret', 'set', 'hook', `url=http://127.0.0.1:${port}/alerts`],
      ['alerter', 'register', 'hook', '--flavor', 'webhook', '--url', '{{secret.hook.url}}'],
      ['stack', 'update', 'default', '--alerter', 'hook'],
      [
        'trigger',
        'create',
        'pipeline.ts',
        '--pipeline',
        'retrain',
        '--on',
        'new-data',
        '--source',
        'incoming',
        '--as',
        'data',
        '--poll',
        '1s',
        '--name',
        'fresh-data',
      ],
    ];
    for (const args of setup) {
      const r = p.strata(...args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    }
    const agent = spawnStrata('agent', '--tick', '1s');
    await until('the agent to evaluate', () => (log.includes('evaluating') ? true : undefined));

    // Day 1: the first model; no production yet, so the gate blesses it on its absolute threshold.
    await writeFile(p.path('incoming', 'day-1.csv'), await readFile(p.path('drops', 'day-1.csv')));
    const first = await completedFirings('fresh-data', 1);
    expect(first[0]!.reason).toContain('day-1.csv');
    const serve = spawnStrata('serve', 'penguins@production', '--port', '0', '--poll-ms', '200');
    const url = await until('the model server', () => /at (http:\/\/\S+)/.exec(log)?.[1]);
    const served = async () => ((await (await fetch(`${url}/health`)).json()) as { version: number }).version;
    expect(await served()).toBe(1);

    // Degradation is watched from here on: create the model-health trigger once the model exists.
    const health = p.strata(
      'trigger',
      'create',
      'pipeline.ts',
      '--pipeline',
      'retrain',
      '--on',
      'model-health',
      '--model',
      'penguins@production',
      '--metric',
      'accuracy',
      '--threshold',
      '0.8',
      '--window',
      '1h',
      '--min-count',
      '20',
      '--name',
      'degraded',
    );
    expect(health.code, health.stderr).toBe(0);

    // Day 2: a second data version, a second run, v2 promoted, the running server swaps to it.
    await writeFile(p.path('incoming', 'day-2.csv'), await readFile(p.path('drops', 'day-2.csv')));
    await completedFirings('fresh-data', 2);
    await until('the server to swap to v2', async () => ((await served()) === 2 ? true : undefined));
    const promoted = await until('the promotion alert', () =>
      alerts.find((a) => a.kind === 'model_promoted'),
    );
    expect(promoted.fields.version).toBe(2);

    // Feedback shows v2 is wrong: every label differs from its prediction.
    const rows = (await readFile(p.path('drops', 'day-3.csv'), 'utf8')).trim().split('\n');
    const header = rows[0]!.split(',');
    const features = rows.slice(1, 31).map((line) => {
      const cells = line.split(',');
      return Object.fromEntries(
        header.slice(1).map((h, i) => [h, i === 0 ? cells[i + 1] : Number(cells[i + 1])]),
      );
    });
    const predicted = (await (
      await fetch(`${url}/predict`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ rows: features }),
      })
    ).json()) as { ids: string[]; predictions: string[] };
    const species = ['Adelie', 'Chinstrap', 'Gentoo'];
    const wrong = predicted.ids.map((id, i) => ({
      id,
      actual: species.find((s) => s !== String(predicted.predictions[i]))!,
    }));
    const feedback = await fetch(`${url}/feedback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ feedback: wrong }),
    });
    expect(feedback.status).toBe(200);

    // The server rolls back to v1 and says so; the webhook receiver hears it.
    await until('the server to roll back to v1', async () => ((await served()) === 1 ? true : undefined));
    const rolledBack = await until('the rollback alert', () =>
      alerts.find((a) => a.kind === 'model_rolled_back'),
    );
    expect(rolledBack.title).toContain('penguins');

    // The model-health trigger sees the rolled-back version's live accuracy and starts a retraining run.
    const retraining = await completedFirings('degraded', 1);
    expect(retraining[0]!.reason).toMatch(/penguins@production \(v2\) accuracy 0(\.\d+)? below 0\.8/);
    expect(alerts.filter((a) => a.kind === 'trigger_fired').map((a) => a.fields.trigger)).toEqual(
      expect.arrayContaining(['fresh-data', 'degraded']),
    );
    // Exactly once: two data versions, two runs; one degraded version, one retraining run.
    expect(history('fresh-data')).toHaveLength(2);
    expect(history('degraded')).toHaveLength(1);

    for (const child of [agent, serve]) child.kill('SIGINT');
    await until('agent and server to stop', () =>
      agent.exitCode !== null && serve.exitCode !== null ? true : undefined,
    );
    expect(agent.exitCode, log.slice(-3000)).toBe(0);
  });
});
