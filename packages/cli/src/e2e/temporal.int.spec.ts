/**
 * `strata worker`, `strata schedule` and `strata runs show` against a real Temporal dev server
 * (`bash scripts/services/temporal.sh && source .services/env`), through the BUILT binary in a temp
 * project that lists "@strata/temporal" as a plugin, as a user would set it up.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bin, createTempProject, demoPipelineFile, ensureBuilt, type TempProject } from './temp-project.js';

const address = process.env.STRATA_TEST_TEMPORAL_ADDRESS;
const suffix = randomUUID().slice(0, 8);
let p: TempProject;

interface Background {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  output(): Promise<string>;
}

/** A long-lived `strata ...` process; its output goes to a file (a pipe could fill while the test blocks). */
function background(name: string, args: readonly string[]): Background {
  const log = p.path(`${name}.log`);
  const fd = openSync(log, 'w');
  const env: NodeJS.ProcessEnv = { ...process.env, STRATA_PROJECT_ROOT: p.root, NO_COLOR: '1' };
  delete env.STRATA_STACK;
  delete env.STRATA_DATABASE_URL;
  const child = spawn(process.execPath, [bin, ...args], { cwd: p.root, env, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => readFile(log, 'utf8') };
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}\n${p.outputs.slice(-4).join('\n')}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

interface RunRow {
  id: string;
  pipelineName: string;
  status: string;
  stackName: string;
  params: Record<string, unknown>;
}
const runs = () => JSON.parse(p.strata('runs', 'list', '--json').stdout) as RunRow[];

describe('strata worker / schedule / runs show on Temporal (built binary)', { timeout: 180_000 }, () => {
  let worker: Background | undefined;

  beforeAll(async () => {
    if (!address)
      throw new Error(
        'STRATA_TEST_TEMPORAL_ADDRESS is not set: run `bash scripts/services/temporal.sh && source .services/env`',
      );
    ensureBuilt();
    // packages/cli's node_modules hold @strata/core, zod and @strata/temporal, like a user's project.
    p = await createTempProject({ modulesFrom: 'packages/cli' });
    expect(p.strata('init').code).toBe(0);
    const config = JSON.parse(await readFile(p.path('.strata/config.json'), 'utf8'));
    // The lines plugin contributes a materializer only: the worker must apply it to steps it runs.
    await p.write(
      '.strata/config.json',
      JSON.stringify({ ...config, plugins: ['@strata/temporal', './lines-plugin.ts'] }),
    );
    await p.write('demo.ts', await readFile(demoPipelineFile, 'utf8'));
    for (const f of ['lines-plugin.ts', 'lines-pipeline.ts'])
      await p.write(f, await readFile(new URL(`./fixtures/plugins/${f}`, import.meta.url), 'utf8'));
    await p.write('gated.ts', await readFile(new URL('./fixtures/gated.ts', import.meta.url), 'utf8'));
    const registered = p.strata(
      'orchestrator',
      'register',
      'temporal',
      '--flavor',
      'temporal',
      '--address',
      address,
      '--task-queue',
      `strata-cli-e2e-${suffix}`,
      '--local-workers-only',
    );
    expect(registered.code, registered.stderr).toBe(0);
    expect(p.strata('stack', 'register', 'tstack', '-o', 'temporal', '-a', 'default').code).toBe(0);
  });

  afterAll(async () => {
    if (worker && worker.child.exitCode === null) worker.child.kill('SIGKILL');
    await p?.dispose();
  });

  it('refuses a stack whose orchestrator is not temporal: exit 2, the stack, its flavor and the fix', () => {
    const w = p.strata('worker');
    expect(w.code).toBe(2);
    expect(w.stderr).toContain('stack "default" uses the local orchestrator');
    expect(w.stderr).toContain('fix: pass --stack NAME of a temporal stack');
    const bad = p.strata('worker', '--stack', 'tstack', '--concurrency', '0');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--concurrency must be a positive integer, got "0"');
  });

  it('runs a pipeline on a `strata worker` child process', async () => {
    worker = background('worker', ['worker', '--stack', 'tstack', '--concurrency', '2']);
    const started = worker;
    await until('the worker to be ready', async () => {
      const out = await started.output();
      if (started.child.exitCode !== null) throw new Error(`worker exited early:\n${out}`);
      return out.includes('strata worker ready: stack tstack') ? true : undefined;
    });
    const run = p.strata('run', 'demo.ts', '--stack', 'tstack', '--param', 'factor=3');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/completed\s+scale/);
    expect(run.stdout).toContain('scaled=[3,6,9]');
  });

  it("applies a plugin's materializer to the steps the worker runs", () => {
    const run = p.strata('run', 'lines-pipeline.ts', '--stack', 'tstack', '--no-cache');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/completed\s+count/);
    const id = /run (r-[\w-]+)/.exec(run.stdout + run.stderr)?.[1];
    expect(id).toBeDefined();
    // `count` loaded the list `write` saved with the plugin's materializer, both on the worker.
    expect(p.strata('runs', 'logs', id!).stdout).toContain('read alpha+beta+gamma');
    const shown = JSON.parse(p.strata('runs', 'show', id!, '--json').stdout) as { run: RunRow };
    expect(shown.run.stackName).toBe('tstack');
  });

  it('runs show includes the live workflow progress while a temporal run is going', async () => {
    const gate = p.path('gate');
    const submitted = background('gated-run', [
      'run',
      'gated.ts',
      '--stack',
      'tstack',
      '--param',
      `gate=${gate}`,
    ]);
    const id = await until('the gated run row', () => runs().find((r) => r.pipelineName === 'gated')?.id);
    const live = await until('live progress with the step running', () => {
      const shown = JSON.parse(p.strata('runs', 'show', id, '--json').stdout) as {
        live?: { progress?: { runId: string; steps: Record<string, number> } };
      };
      return shown.live?.progress && shown.live.progress.steps.running === 1
        ? shown.live.progress
        : undefined;
    });
    expect(live.runId).toBe(id);
    expect(live.steps.pending).toBe(1);
    const text = p.strata('runs', 'show', id);
    expect(text.stdout).toContain('live (temporal workflow): ');
    await writeFile(gate, '');
    expect(await submitted.exited, await submitted.output()).toBe(0);
    const done = JSON.parse(p.strata('runs', 'show', id, '--json').stdout) as { run: RunRow; live?: unknown };
    expect(done.run.status).toBe('completed');
    expect(done.live).toBeUndefined();
  });

  it('creates a schedule that fires on the worker, lists, pauses and deletes it', async () => {
    const name = `e2e-${suffix}`;
    const id = `strata-${name}`;
    try {
      const created = p.strata(
        'schedule',
        'create',
        'demo.ts',
        '--cron',
        '@every 2s',
        '--stack',
        'tstack',
        '--param',
        'factor=7',
        '--name',
        name,
      );
      expect(created.code, created.stderr).toBe(0);
      // Stored in the metadata store like every schedule, fired by Temporal Schedules (id `strata-NAME`).
      expect(created.stdout).toContain(`created schedule ${name} on stack tstack (fired by temporal)`);
      const listed = () =>
        (
          JSON.parse(p.strata('schedule', 'list', '--stack', 'tstack', '--json').stdout) as {
            name: string;
            target: { pipeline: string };
            condition: { cron: string };
            firedBy: string;
            paused: boolean;
          }[]
        ).find((s) => s.name === name);
      expect(listed()).toMatchObject({
        target: { pipeline: 'demo' },
        condition: { cron: '@every 2s' },
        firedBy: 'temporal',
        paused: false,
      });
      expect(id).toBe(`strata-${name}`);

      const fired = await until('a scheduled run to complete', () =>
        runs().find((r) => r.pipelineName === 'demo' && r.params.factor === 7 && r.status === 'completed'),
      );
      expect(fired.stackName).toBe('tstack');

      expect(p.strata('schedule', 'pause', name, '--stack', 'tstack').code).toBe(0);
      expect(listed()?.paused).toBe(true);
      expect(p.strata('schedule', 'pause', name, '--unpause', '--stack', 'tstack').code).toBe(0);
      expect(listed()?.paused).toBe(false);

      const deleted = p.strata('schedule', 'delete', name, '--stack', 'tstack');
      expect(deleted.code, deleted.stderr).toBe(0);
      expect(listed()).toBeUndefined();
      const again = p.strata('schedule', 'delete', name, '--stack', 'tstack');
      expect(again.code).toBe(2);
      expect(again.stderr).toContain(`no schedule named "${name}"`);
    } finally {
      p.strata('schedule', 'delete', name, '--stack', 'tstack');
    }
  });

  it('stops the worker cleanly on SIGTERM', async () => {
    expect(worker).toBeDefined();
    worker!.child.kill('SIGTERM');
    expect(await worker!.exited).toBe(0);
    expect(await worker!.output()).toContain('strata worker stopped: stack tstack');
  });

  it('Ctrl-C of strata run on Temporal: exit 130, the workflow cancelled, the summary counts the steps being stopped', async () => {
    const queue = `strata-cli-cancel-${suffix}`;
    const registered = p.strata(
      'orchestrator',
      'register',
      'tcancel',
      '--flavor',
      'temporal',
      '--address',
      address!,
      '--task-queue',
      queue,
      '--local-workers-only',
    );
    expect(registered.code, registered.stderr).toBe(0);
    expect(p.strata('stack', 'register', 'tcancel', '-o', 'tcancel', '-a', 'default').code).toBe(0);
    await p.write(
      'slow.ts',
      [
        "import { pipeline, step, t } from '@strata/core';",
        'const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));',
        "const a = step({ name: 'a', outputs: { x: t.json<number>() }, run: async () => { await wait(20_000); return { x: 1 }; } });",
        "const b = step({ name: 'b', inputs: { x: t.json<number>() }, outputs: { y: t.json<number>() }, run: ({ x }) => ({ y: x }) });",
        "export const slow = pipeline({ name: 'slow', body: () => { const { x } = a(); b({ x }); } });",
        '',
      ].join('\n'),
    );
    const w = background('cancel-worker', ['worker', '--stack', 'tcancel']);
    try {
      await until('the cancel worker to be ready', async () =>
        (await w.output()).includes('strata worker ready: stack tcancel') ? true : undefined,
      );
      const run = background('cancel-run', ['run', 'slow.ts', '--stack', 'tcancel', '--no-cache']);
      const id = await until('the run to start', async () => /run (r-[\w-]+)/.exec(await run.output())?.[1]);
      await until('step a to run', () =>
        (
          JSON.parse(p.strata('runs', 'show', id, '--json').stdout) as { steps: { status: string }[] }
        ).steps.some((s) => s.status === 'running')
          ? true
          : undefined,
      );
      run.child.kill('SIGINT');
      expect(await run.exited).toBe(130);
      const out = await run.output();
      // The workflow closes its rows after the run is marked cancelled: those are counted as being stopped.
      expect(out).toContain(`cancelled run ${id}: 0 of 2 steps had finished, 2 were stopped or not started`);
      expect(out).toContain(`strata runs resume ${id}`);
      const closed = await until('the rows to be closed', () => {
        const shown = JSON.parse(p.strata('runs', 'show', id, '--json').stdout) as {
          run: { status: string };
          steps: { status: string }[];
        };
        return shown.steps.every((s) => s.status === 'cancelled') ? shown : undefined;
      });
      expect(closed.run.status).toBe('cancelled');
    } finally {
      if (w.child.exitCode === null) w.child.kill('SIGKILL');
    }
  });

  it('a step that spins past its timeoutMs ends one worker only: it is recorded timed_out, the retry fails at once, the run fails', async () => {
    // Its own queue and a short heartbeat timeout, so Temporal notices the ended worker in seconds; three
    // activity attempts: the worker records the step timed_out before it ends, so the retry on the
    // other worker fails at once instead of running the step (and ending that worker) again.
    const queue = `strata-cli-spin-${suffix}`;
    const registered = p.strata(
      'orchestrator',
      'register',
      'tspin',
      '--flavor',
      'temporal',
      '--address',
      address!,
      '--task-queue',
      queue,
      '--local-workers-only',
      '--heartbeat-timeout-ms',
      '4000',
      '--activity-attempts',
      '3',
    );
    expect(registered.code, registered.stderr).toBe(0);
    expect(p.strata('stack', 'register', 'tspin', '-o', 'tspin', '-a', 'default').code).toBe(0);
    await p.write(
      'spin.ts',
      [
        "import { pipeline, step, t } from '@strata/core';",
        'const spin = step({',
        "  name: 'spin',",
        '  timeoutMs: 500,',
        '  outputs: { x: t.json<number>() },',
        '  run: () => { for (;;) {} },',
        '});',
        "export const spinning = pipeline({ name: 'spinning', body: () => { spin(); } });",
        '',
      ].join('\n'),
    );
    const workers = [1, 2].map((i) => background(`spin-worker-${i}`, ['worker', '--stack', 'tspin']));
    try {
      for (const w of workers)
        await until('the spin workers to be ready', async () =>
          (await w.output()).includes('strata worker ready: stack tspin') ? true : undefined,
        );
      const started = Date.now();
      const run = p.strata('run', 'spin.ts', '--stack', 'tspin', '--no-cache');
      expect(run.code, run.stdout + run.stderr).toBe(1);
      const took = Date.now() - started;
      expect(took).toBeLessThan(45_000);
      const id = /run (r-[\w-]+)/.exec(run.stdout + run.stderr)![1]!;
      const shown = JSON.parse(p.strata('runs', 'show', id, '--json').stdout) as {
        run: RunRow & { error: string | null };
        steps: { nodeId: string; status: string; error: string | null; startedAt: number | null }[];
      };
      expect(shown.run.status).toBe('failed');
      expect(shown.steps.map((s) => `${s.nodeId}:${s.status}`)).toEqual(['spin:timed_out']);
      // The error names the step, its timeout and the fix; the start time is the stopped body's.
      expect(shown.steps[0]!.error).toContain(
        'step "spin" ran past its timeoutMs of 500 ms without yielding',
      );
      expect(shown.steps[0]!.error).toContain('--isolation process');
      expect(shown.steps[0]!.startedAt).toBeGreaterThanOrEqual(started);
      const table = p.strata('runs', 'show', id).stdout;
      expect(table).toMatch(/spin\s+timed_out/);
      expect(run.stdout + run.stderr).toContain('step "spin" timed out');
      // The worker that ran it was ended by the watchdog, naming the run, the step and the fix.
      // (Exit events wait for this loop, which the synchronous strata calls above held.)
      const codes = await Promise.all(
        workers.map((w) => Promise.race([w.exited, new Promise((r) => setTimeout(() => r('alive'), 2000))])),
      );
      expect([...codes].sort()).toEqual([1, 'alive']);
      const log = await workers[codes.indexOf(1)]!.output();
      expect(log).toContain(`run ${id}: step "spin" ran past its timeoutMs of 500 ms without yielding`);
      expect(log).not.toContain('Assertion failed');
      // Temporal's retry ran on the other worker and failed at once, for good, naming the step.
      const other = await workers[codes.indexOf('alive')]!.output();
      expect(other).toContain('step "spin" was stopped on a previous attempt and is not retried');
      expect(other).toContain("type: 'step_timed_out'");
      expect(other).toContain('nonRetryable: true');
    } finally {
      for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
    }
  });
});
