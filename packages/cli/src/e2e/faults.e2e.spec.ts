import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bin,
  createTempProject,
  demoPipelineFile,
  ensureBuilt,
  type TempProject,
  workspace,
} from './temp-project.js';

/**
 * The fault suite on the local orchestrator (in-process and with process isolation): the submitter
 * and the step process are killed with SIGKILL at step boundaries and mid-step, and SIGINT/SIGTERM
 * cancel. After each fault no run stays `running`, no step row stays `running`/`pending`, and the
 * resumed run produces every artifact exactly once.
 */
const fixture = join(workspace, 'packages/cli/src/e2e/fixtures/gated.pipeline.ts');
const STACK_LINE = /^\s+at .+[:(]/m;

interface Started {
  readonly child: ChildProcess;
  readonly out: { stdout: string; stderr: string };
  readonly exit: Promise<number | null>;
}

describe('fault suite: local orchestrator (built binary)', { timeout: 600_000 }, () => {
  let p: TempProject;
  let n = 0;

  beforeAll(async () => {
    ensureBuilt();
    p = await createTempProject();
    await p.write('gated.ts', await readFile(fixture, 'utf8'));
    expect(p.strata('init').code).toBe(0);
    expect(
      p.strata('orchestrator', 'register', 'isolated', '--flavor', 'local', '--isolation', 'process').code,
    ).toBe(0);
    expect(p.strata('stack', 'register', 'iso', '-o', 'isolated', '-a', 'default').code).toBe(0);
  });
  afterAll(async () => {
    await p?.dispose();
  });

  const gates = async () => {
    const dir = p.path(`gates-${++n}`);
    await mkdir(dir, { recursive: true });
    return dir;
  };

  function start(args: string[]): Started {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: p.root,
      env: { ...process.env, STRATA_PROJECT_ROOT: p.root, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out = { stdout: '', stderr: '' };
    child.stdout!.on('data', (d: Buffer) => {
      out.stdout += d.toString();
    });
    child.stderr!.on('data', (d: Buffer) => {
      out.stderr += d.toString();
    });
    const exit = once(child, 'exit').then(([code, signal]) => (signal ? 128 + 9 : (code as number)));
    return { child, out, exit };
  }

  /** The content of a gate file once it is there and written (a pid: never 0, which kill reads as "my group"). */
  async function waitFor(file: string, timeoutMs = 60_000): Promise<string> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const text = existsSync(file) ? await readFile(file, 'utf8') : '';
      if (/^\d+$/.test(text) && Number(text) > 0) return text;
      if (Date.now() > end) throw new Error(`timed out waiting for ${file}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  const open = async (dir: string, ...names: string[]) => {
    for (const name of names) await writeFile(join(dir, `${name}.go`), '');
  };

  const runIdOf = (text: string) => /run (r-[a-z0-9]+-[a-z0-9]+)/.exec(text)?.[1];
  /** The run id a started `strata run` printed; its stdout may reach us after the step's own marker file. */
  async function idOf(run: Started, timeoutMs = 30_000): Promise<string | undefined> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const id = runIdOf(run.out.stdout);
      if (id !== undefined || Date.now() > end) return id;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  function show(id: string): {
    run: { status: string; error: string | null };
    steps: { nodeId: string; status: string; startedAt?: number | null }[];
  } {
    const result = p.strata('runs', 'show', id, '--json');
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout);
  }

  /** Resumes with every gate open; the new run completes with c = 20, each output recorded once. */
  async function resumeAndCheck(id: string, dir: string): Promise<void> {
    await open(dir, 'a', 'b', 'c');
    const resumed = p.strata('runs', 'resume', id);
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);
    const newId = /run (r-[a-z0-9]+-[a-z0-9]+) completed/.exec(resumed.stdout)?.[1];
    expect(newId).toBeDefined();
    const after = show(newId!);
    expect(after.steps.map((s) => s.status).every((s) => s === 'completed' || s === 'cached')).toBe(true);
    expect(resumed.stdout).toMatch(/c .*n=20/);
    const old = show(id);
    expect(old.steps.filter((s) => s.status === 'running' || s.status === 'pending')).toEqual([]);
    expect(old.run.error).toContain(`resumed as run ${newId}`);
    // No run anywhere is left running.
    const runs = JSON.parse(p.strata('runs', 'list', '-n', '1000', '--json').stdout) as { status: string }[];
    expect(runs.filter((r) => r.status === 'running' || r.status === 'pending')).toEqual([]);
  }

  for (const [stack, label] of [
    ['default', 'in-process'],
    ['iso', 'process isolation'],
  ] as const) {
    for (const [point, gatesBefore] of [
      ['mid-step a', [] as string[]],
      ['mid-step b (after the a -> b boundary)', ['a']],
      ['mid-step c (after the b -> c boundary)', ['a', 'b']],
    ] as const) {
      it(`${label}: kill -9 of the submitter ${point}: crashed, logs --follow ends, resume completes`, async () => {
        const dir = await gates();
        await open(dir, ...gatesBefore);
        const target = ['a', 'b', 'c'][gatesBefore.length]!;
        const run = start(['--stack', stack, 'run', 'gated.ts', '-p', `dir=${JSON.stringify(dir)}`]);
        await waitFor(join(dir, `${target}.started`));
        await new Promise((r) => setTimeout(r, 500)); // past the step's 100 ms "running" mark
        run.child.kill('SIGKILL');
        await run.exit;
        const id = (await idOf(run))!;
        expect(id).toBeDefined();
        // A step child process of the killed submitter is orphaned; it must not finish the step later.
        const listed = JSON.parse(p.strata('runs', 'list', '--json').stdout) as {
          id: string;
          status: string;
        }[];
        expect(listed.find((r) => r.id === id)?.status).toBe('crashed');
        const shown = show(id);
        expect(shown.run.error).toMatch(/owner gone: process \d+ on .* is gone/);
        expect(shown.steps.find((s) => s.nodeId === target)?.status).toBe('crashed');
        const follow = p.strata('runs', 'logs', id, '--follow');
        expect(follow.code).toBe(0);
        expect(follow.stderr).toContain('crashed');
        await resumeAndCheck(id, dir);
      });
    }
  }

  it('process isolation: kill -9 of the step process mid-step fails the step, the run ends failed, resume completes', async () => {
    const dir = await gates();
    await open(dir, 'a');
    const run = start(['--stack', 'iso', 'run', 'gated.ts', '-p', `dir=${JSON.stringify(dir)}`]);
    const pid = Number(await waitFor(join(dir, 'b.started')));
    process.kill(pid, 'SIGKILL');
    expect(await run.exit).toBe(1);
    const id = (await idOf(run))!;
    const shown = show(id);
    expect(shown.run.status).toBe('failed');
    expect(shown.steps.find((s) => s.nodeId === 'b')?.status).toBe('failed');
    expect(run.out.stderr).not.toMatch(STACK_LINE);
    await resumeAndCheck(id, dir);
  });

  for (const [signal, code] of [
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const) {
    it(`${signal} cancels: exit ${code}, run cancelled, no active step row, the resume command printed`, async () => {
      const dir = await gates();
      const run = start(['run', 'gated.ts', '-p', `dir=${JSON.stringify(dir)}`]);
      await waitFor(join(dir, 'a.started'));
      run.child.kill(signal);
      expect(await run.exit).toBe(code);
      const id = (await idOf(run))!;
      expect(run.out.stderr).toContain(`cancelling run ${id}`);
      expect(run.out.stderr).toContain(`strata runs resume ${id}`);
      expect(run.out.stderr).not.toMatch(STACK_LINE);
      const shown = show(id);
      const stopped = shown.steps.filter((s) => s.status === 'cancelled').length;
      expect(run.out.stderr).toContain(
        `cancelled run ${id}: 0 of ${shown.steps.length} steps had finished, ${stopped} ${stopped === 1 ? 'was' : 'were'} stopped`,
      );
      expect(run.out.stdout).toContain(`run ${id} cancelled\n`);
      expect(shown.run.status).toBe('cancelled');
      expect(shown.steps.filter((s) => s.status === 'running' || s.status === 'pending')).toEqual([]);
      await resumeAndCheck(id, dir);
    });
  }

  it('Ctrl-C just after the last step finished: the run is recorded completed, exit 0', async () => {
    await p.write(
      'last.ts',
      [
        "import { writeFileSync } from 'node:fs';",
        "import { pipeline, step, t } from '@strata/core';",
        'const only = step({',
        "  name: 'only',",
        '  outputs: { x: t.json<number>() },',
        '  run: () => ({ x: 1 }),',
        // Its row is completed before the hook runs: the signal lands after the last step finished.
        '  onSuccess: async () => {',
        "    writeFileSync('last.done', String(process.pid));",
        '    await new Promise((r) => setTimeout(r, 3000));',
        '  },',
        '});',
        "export const last = pipeline({ name: 'last', body: () => { only(); } });",
        '',
      ].join('\n'),
    );
    await rm(p.path('last.done'), { force: true });
    const run = start(['run', 'last.ts', '--no-cache']);
    await waitFor(p.path('last.done'));
    run.child.kill('SIGINT');
    expect(await run.exit, run.out.stdout + run.out.stderr).toBe(0);
    const id = (await idOf(run))!;
    expect(run.out.stderr).toContain(`SIGINT came after every step had finished: run ${id} completed`);
    expect(run.out.stderr).not.toContain('strata runs resume');
    expect(show(id).run).toMatchObject({ status: 'completed', error: null });
  });

  it('timeouts hold for code that never yields: timed_out, stopped, nothing after affects the run', async () => {
    await p.write(
      'busy.ts',
      [
        "import { pipeline, step, t } from '@strata/core';",
        'const spin = step({',
        "  name: 'spin',",
        '  timeoutMs: 500,',
        '  outputs: { x: t.json<number>() },',
        '  run: () => { const end = Date.now() + 20_000; while (Date.now() < end) {} return { x: 1 }; },',
        '});',
        'const late = step({',
        "  name: 'late',",
        '  timeoutMs: 300,',
        '  outputs: { x: t.json<number>() },',
        "  run: async (_i, _p, ctx) => { await new Promise((r) => setTimeout(r, 1500)); ctx.logger.info('after the timeout'); return { x: 2 }; },",
        '});',
        "export const busy = pipeline({ name: 'busy', body: () => { spin(); late(); } });",
        '',
      ].join('\n'),
    );
    // Code that never yields is stopped where it runs in its own process (`--isolation process`) by
    // killing that process; in process, by the blocked-loop watchdog, which records the step and ends
    // the CLI (docs/reliability.md, "Timeouts that hold").
    for (const stack of ['iso', 'default']) {
      const started = Date.now();
      const result = p.strata('--stack', stack, 'run', 'busy.ts', '--no-cache');
      // The 20 s busy loop was stopped: the run ends long before it would have.
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(result.code, result.stdout + result.stderr).toBe(1);
      expect(result.stderr).not.toMatch(STACK_LINE);
      // In process the CLI's own lines may never have been printed: the watchdog's line names the run.
      const id = runIdOf(result.stdout + result.stderr)!;
      const shown = show(id);
      expect(shown.run.status).toBe('failed');
      if (stack === 'iso')
        expect(shown.steps.map((s) => `${s.nodeId}:${s.status}`).sort()).toEqual([
          'late:timed_out',
          'spin:timed_out',
        ]);
      else {
        // The whole process stops: the step that overran is named with the fix, the others are closed.
        expect(result.stderr).toContain('step "spin" ran past its timeoutMs of 500 ms without yielding');
        expect(result.stderr).toContain('--isolation process');
        expect(result.stderr).not.toContain('Waiting for the debugger');
        const spin = shown.steps.find((s) => s.nodeId === 'spin');
        expect(spin?.status).toBe('timed_out');
        // Its running mark was never written (the loop blocked first): the start comes with the last words.
        expect(spin?.startedAt).toBeGreaterThanOrEqual(started);
        expect(p.strata('runs', 'show', id).stdout).toMatch(
          /spin\s+timed_out\s+-\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/,
        );
        expect(shown.run.error).toContain('ran past its timeoutMs');
        expect(shown.steps.filter((s) => s.status === 'running' || s.status === 'pending')).toEqual([]);
      }
      await new Promise((r) => setTimeout(r, 1500));
      const logs = p.strata('runs', 'logs', id);
      expect(logs.stdout).not.toContain('after the timeout');
      expect(show(id).run.status).toBe('failed');
    }
  });

  it('a step that times out and then blocks the event loop (in an fs callback) does not hang strata run (in process)', async () => {
    await p.write(
      'zombie.ts',
      [
        "import { readFile } from 'node:fs/promises';",
        "import { pipeline, step, t } from '@strata/core';",
        'const z = step({',
        "  name: 'z',",
        '  timeoutMs: 300,',
        '  outputs: { x: t.json<number>() },',
        // It spins inside an fs completion (a native callback): stopping the code there aborted Node.
        "  run: async () => { await new Promise((r) => setTimeout(r, 600)); await readFile('zombie.ts'); for (;;) {} },",
        '});',
        "export const zombie = pipeline({ name: 'zombie', body: () => { z(); } });",
        '',
      ].join('\n'),
    );
    const run = start(['run', 'zombie.ts', '--no-cache']);
    const stuck = setTimeout(() => run.child.kill('SIGKILL'), 30_000);
    const code = await run.exit;
    clearTimeout(stuck);
    // Killed by the guard above would be 137: the watchdog ended it, with the run recorded.
    expect(code, run.out.stdout + run.out.stderr).toBe(1);
    expect(run.out.stderr).toContain('step "z" ran past its timeoutMs of 300 ms without yielding');
    const id = runIdOf(run.out.stdout + run.out.stderr)!;
    const shown = show(id);
    expect(shown.run.status).toBe('failed');
    expect(shown.steps.map((s) => `${s.nodeId}:${s.status}`)).toEqual(['z:timed_out']);
  });

  it('out of space: the step fails naming where and how much, no temp file is left, the next run works', async () => {
    // A 20 MB tmpfs holds the whole project (database and artifact store); a step writes 50 MB.
    if (process.getuid?.() !== 0)
      throw new Error('this case mounts a 20 MB tmpfs and needs root (the CI machines run as root)');
    const mount = await mkdtemp(join(tmpdir(), 'strata-small-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=20m', 'tmpfs', mount]);
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = mount;
    let small: TempProject | undefined;
    try {
      small = await createTempProject();
      process.env.TMPDIR = saved;
      if (saved === undefined) delete process.env.TMPDIR;
      await small.write('demo.ts', await readFile(demoPipelineFile, 'utf8'));
      await small.write(
        'big.ts',
        [
          "import { pipeline, step, t } from '@strata/core';",
          "const big = step({ name: 'big', outputs: { b: t.bytes() }, run: () => ({ b: new Uint8Array(50 * 1024 * 1024).fill(7) }) });",
          "const after = step({ name: 'after', inputs: { b: t.bytes() }, outputs: { n: t.json<number>() }, run: ({ b }) => ({ n: b.length }) });",
          "export const bigp = pipeline({ name: 'bigp', body: () => { const { b } = big(); after({ b }); } });",
          '',
        ].join('\n'),
      );
      expect(small.strata('init').code).toBe(0);
      const result = small.strata('run', 'big.ts');
      expect(result.code, result.stdout + result.stderr).toBe(1);
      expect(result.stderr).not.toMatch(STACK_LINE);
      const id = runIdOf(result.stdout)!;
      const shown = JSON.parse(small.strata('runs', 'show', id, '--json').stdout) as {
        run: { status: string };
        steps: { nodeId: string; status: string; error: string | null }[];
      };
      expect(shown.run.status).toBe('failed');
      const big = shown.steps.find((s) => s.nodeId === 'big')!;
      expect(big.status).toBe('failed');
      expect(big.error).toMatch(/no space left writing an artifact under .*\.tmp: \d+ bytes/);
      const leftovers = execFileSync('find', [small.path('.strata'), '-name', '*.part']).toString();
      expect(leftovers).toBe('');
      // A full disk when the store is opened: SQLite says only "disk I/O error", which reads like
      // corruption; the message must say the disk is full, with a fix that keeps the database.
      const filler = join(mount, 'filler');
      try {
        execFileSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=1M', 'count=40'], { stdio: 'ignore' });
      } catch {
        // dd exits 1 when it fills the disk: that is the point.
      }
      const full = small.strata('run', 'demo.ts');
      // Output redirected to the full disk: one line on stderr, exit 2, no stack trace.
      const redirected = spawnSync(
        'sh',
        ['-c', `"${process.execPath}" "${bin}" --help > "${join(mount, 'help.txt')}"`],
        {
          encoding: 'utf8',
        },
      );
      await rm(filler);
      expect(redirected.status, redirected.stderr).toBe(2);
      expect(redirected.stderr).toContain('error: cannot write to stdout: ENOSPC');
      expect(redirected.stderr).not.toMatch(STACK_LINE);
      expect(full.code, full.stdout + full.stderr).toBe(2);
      expect(full.stderr).toMatch(/the disk holding .* is full \(\d+ bytes free\)/);
      expect(full.stderr).toContain('fix: free space on that disk');
      expect(full.stderr).not.toMatch(STACK_LINE);
      const next = small.strata('run', 'demo.ts');
      expect(next.code, next.stderr).toBe(0);
    } finally {
      if (process.env.TMPDIR === mount) {
        if (saved === undefined) delete process.env.TMPDIR;
        else process.env.TMPDIR = saved;
      }
      await small?.dispose().catch(() => undefined);
      execFileSync('umount', [mount]);
      await rm(mount, { recursive: true, force: true });
    }
  });

  it('resume refuses a run whose owner is alive, and says how to cancel it', async () => {
    const dir = await gates();
    const run = start(['run', 'gated.ts', '-p', `dir=${JSON.stringify(dir)}`]);
    await waitFor(join(dir, 'a.started'));
    const id = (await idOf(run))!;
    const refused = p.strata('runs', 'resume', id);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('is still running');
    expect(refused.stderr).toContain(`strata runs cancel ${id}`);
    await open(dir, 'a', 'b', 'c');
    expect(await run.exit).toBe(0);
    expect(show(id).run.status).toBe('completed');
  });
});
