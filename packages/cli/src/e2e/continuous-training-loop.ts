/**
 * The whole continuous-training loop of examples/continuous-training, driven through the built CLI in a
 * temp project: shared by the local spec (`strata agent` fires the triggers) and the Temporal spec (the
 * durable `strataTriggers` workflow on `strata worker` processes fires them). Only what fires the
 * triggers and where runs execute differ; the commands, the data and every check are these.
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
import { until as waitUntil } from '@strata/testing';
import { expect } from 'vitest';
import { bin, createTempProject, type TempProject, workspace } from './temp-project.js';

const example = join(workspace, 'examples/continuous-training');

/** The loop's waits: @strata/testing's, bounded by four minutes (a training run on a loaded machine). */
export const until = <T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 240_000,
  detail?: () => string,
): Promise<T> => waitUntil(what, probe, timeoutMs, detail);

export interface Firing {
  id: string;
  status: string;
  runId: string;
  runStatus: string | null;
  reason: string;
}

export interface Alert {
  kind: string;
  title: string;
  fields: Record<string, unknown>;
}

/** A temp project made from examples/continuous-training, an alert receiver, and its child processes. */
export interface LoopHarness {
  readonly p: TempProject;
  readonly alerts: Alert[];
  readonly port: number;
  /** Every child's stdout and stderr, interleaved. */
  log(): string;
  /** A long-lived `strata ...` child (killed by dispose if still running). */
  spawnStrata(...args: string[]): ChildProcess;
  history(name: string): Firing[];
  dispose(): Promise<void>;
}

/** The project (with the example's pipeline and three daily drops prepared) and a webhook receiver. */
export async function createLoopHarness(): Promise<LoopHarness> {
  const alerts: Alert[] = [];
  const receiver: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      alerts.push(JSON.parse(body) as Alert);
      res.writeHead(204).end();
    });
  });
  receiver.listen(0, '127.0.0.1');
  await once(receiver, 'listening');
  const p = await createTempProject({ modulesFrom: 'examples/continuous-training' });
  for (const file of ['pipeline.ts', 'prepare-data.ts'])
    await p.write(file, await readFile(join(example, file), 'utf8'));
  expect(p.strata('init').code).toBe(0);
  await mkdir(p.path('incoming'));
  const prepared = spawnSync(process.execPath, ['--import', 'tsx', 'prepare-data.ts', 'drops', '3'], {
    cwd: p.root,
    encoding: 'utf8',
  });
  expect(prepared.status, prepared.stderr).toBe(0);

  let log = '';
  const children: ChildProcess[] = [];
  return {
    p,
    alerts,
    port: (receiver.address() as AddressInfo).port,
    log: () => log,
    spawnStrata(...args) {
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
    },
    history: (name) => JSON.parse(p.strata('trigger', 'history', name, '--json').stdout) as Firing[],
    async dispose() {
      for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
      receiver.close();
      await p.dispose();
    },
  };
}

/** Runs `args` and expects exit 0 (the command and its stderr in the failure). */
export function ok(h: LoopHarness, ...args: string[]): string {
  const r = h.p.strata(...args);
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r.stdout;
}

/**
 * The webhook alerter on `stack` (its URL a secret reference, as a real one carries a token) and the
 * new-data trigger `fresh-data` on the `incoming` folder.
 */
export function setUpTriggers(h: LoopHarness, stack: string): void {
  ok(h, 'secret', 'set', 'hook', `url=http://127.0.0.1:${h.port}/alerts`);
  ok(h, 'alerter', 'register', 'hook', '--flavor', 'webhook', '--url', '{{secret.hook.url}}');
  ok(h, 'stack', 'update', stack, '--alerter', 'hook');
  ok(
    h,
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
    '--stack',
    stack,
  );
}

/**
 * From the first CSV to the completed retraining run, with whatever fires the triggers already running
 * (`firer` names it in failures). Returns the processes it started (the model server).
 */
export async function runWholeLoop(
  h: LoopHarness,
  stack: string,
): Promise<{ serve: ChildProcess; firings: { 'fresh-data': Firing[]; degraded: Firing[] } }> {
  const { p, alerts } = h;
  const tail = () => h.log().slice(-5000);
  const completedFirings = (name: string, n: number) =>
    until(
      `${n} completed run(s) of ${name}`,
      () => {
        const rows = h.history(name);
        const failed = rows.find((r) => r.runStatus === 'failed' || r.status === 'failed');
        if (failed) {
          const run = p.strata('runs', 'show', failed.runId);
          const logs = p.strata('runs', 'logs', failed.runId);
          throw new Error(
            `${name} firing failed: ${JSON.stringify(failed)}\n${run.stdout}${run.stderr}\n${logs.stdout.slice(-3000)}\n${tail()}`,
          );
        }
        return rows.filter((r) => r.runStatus === 'completed').length >= n ? rows : undefined;
      },
      300_000,
      tail,
    );

  // Day 1: the first model; no production yet, so the gate blesses it on its absolute threshold.
  await writeFile(p.path('incoming', 'day-1.csv'), await readFile(p.path('drops', 'day-1.csv')));
  const first = await completedFirings('fresh-data', 1);
  expect(first[0]!.reason).toContain('day-1.csv');
  const serve = h.spawnStrata('serve', 'penguins@production', '--port', '0', '--poll-ms', '200');
  const url = await until('the model server', () => /at (http:\/\/\S+)/.exec(h.log())?.[1], 60_000, tail);
  const served = async () => ((await (await fetch(`${url}/health`)).json()) as { version: number }).version;
  expect(await served()).toBe(1);

  // A threshold on a metric the model does not report (a classifier has no mae) is refused, nothing stored.
  const refused = p.strata(
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
    'mae',
    '--threshold',
    '0.5',
    '--name',
    'bad-metric',
    '--stack',
    stack,
  );
  expect(refused.code, refused.stderr).toBe(2);
  expect(refused.stderr).toContain('model "penguins" does not report metric "mae"');
  expect(refused.stderr).toContain('fix: use drift, or a live metric the model reports: accuracy');
  expect(p.strata('trigger', 'list', '--json').stdout).not.toContain('bad-metric');

  // Degradation is watched from here on: create the model-health trigger once the model exists.
  ok(
    h,
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
    '--stack',
    stack,
  );

  // Day 2: a second data version, a second run, v2 promoted, the running server swaps to it.
  await writeFile(p.path('incoming', 'day-2.csv'), await readFile(p.path('drops', 'day-2.csv')));
  await completedFirings('fresh-data', 2);
  // Polls tolerate a dropped keep-alive socket (the client may reuse one the server just closed).
  const servedNow = () => served().catch(() => undefined);
  await until('the server to swap to v2', async () => ((await servedNow()) === 2 ? true : undefined));
  const promoted = await until('the promotion alert', () => alerts.find((a) => a.kind === 'model_promoted'));
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
  await until('the server to roll back to v1', async () => ((await servedNow()) === 1 ? true : undefined));
  const rolledBack = await until('the rollback alert', () =>
    alerts.find((a) => a.kind === 'model_rolled_back'),
  );
  expect(rolledBack.title).toContain('penguins');

  // The model-health trigger sees the rolled-back version's live accuracy and starts a retraining run.
  const retraining = await completedFirings('degraded', 1);
  expect(retraining[0]!.reason).toMatch(/penguins@production \(v2\) accuracy 0(\.\d+)? below 0\.8/);
  await until('trigger_fired alerts for both triggers', () => {
    const fired = new Set(alerts.filter((a) => a.kind === 'trigger_fired').map((a) => a.fields.trigger));
    return fired.has('fresh-data') && fired.has('degraded') ? true : undefined;
  });
  // Exactly once: two data versions, two runs; one degraded version, one retraining run.
  const firings = { 'fresh-data': h.history('fresh-data'), degraded: h.history('degraded') };
  expect(firings['fresh-data']).toHaveLength(2);
  expect(firings.degraded).toHaveLength(1);
  return { serve, firings };
}
