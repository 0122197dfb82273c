import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bin, createTempProject, ensureBuilt, type TempProject, workspace } from './temp-project.js';

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('strata schedule / trigger / agent (built binary, temp project)', { timeout: 300_000 }, () => {
  let p: TempProject;
  let agent: ChildProcess | undefined;

  beforeAll(async () => {
    ensureBuilt();
    p = await createTempProject();
    const fixture = join(workspace, 'packages/cli/src/e2e/fixtures/on-data.ts');
    await p.write('on-data.ts', await readFile(fixture, 'utf8'));
    expect(p.strata('init').code).toBe(0);
    await mkdir(p.path('incoming'));
  });
  afterAll(async () => {
    if (agent && agent.exitCode === null) agent.kill('SIGKILL');
    await p?.dispose();
  });

  it('refuses bad input at create time with field, value and fix, exit 2, storing nothing', async () => {
    const modelHealth = (model: string, ...more: string[]) => [
      ...['trigger', 'create', 'on-data.ts', '--on', 'model-health', '--model', model],
      ...['--metric', 'accuracy', ...more],
    ];
    const cases: [string[], string][] = [
      [['schedule', 'create', 'on-data.ts', '--cron', '61 * * * *'], 'is not a cron expression'],
      [
        ['schedule', 'create', 'on-data.ts', '--cron', '0 3 * * *', '--timezone', 'Mars/Olympus'],
        'not a time zone',
      ],
      [['schedule', 'create', 'on-data.ts', '--every', '10 minutes'], 'is not an interval'],
      [['schedule', 'create', 'on-data.ts', '--every', '1h', '--catch-up', 'most'], 'catch-up most'],
      [
        ['trigger', 'create', 'on-data.ts', '--on', 'new-data', '--source', 'no-such-folder'],
        'does not exist',
      ],
      [modelHealth('ghost@production', '--threshold', '0.8'), 'no model named "ghost"'],
      [modelHealth('ghost'), 'trigger model "ghost": must be NAME@alias, e.g. penguins@production'],
      [['trigger', 'create', 'broken.ts', '--on', 'new-data', '--source', 'incoming'], 'broken.ts'],
      [
        ['trigger', 'create', 'on-data.ts', '--on', 'run-completion', '--after', 'on-data'],
        '--after on-data would start runs for ever (on-data ends -> this trigger runs on-data)',
      ],
      [
        ['trigger', 'create', 'on-data.ts', '--on', 'run-completion', '--after', 'trian'],
        '--after "trian" is not a pipeline this store has runs of or a trigger runs (the store knows no pipeline yet)',
      ],
      [
        ['trigger', 'create', 'on-data.ts', '--on', 'run-completion', '--after', 'x', '--statuses', ''],
        'trigger statuses: the list is empty, so the trigger would never fire',
      ],
      [
        ['trigger', 'create', 'on-data.ts', '--on', 'new-data', '--source', 'incoming', '--model', 'm@a'],
        '--model does not apply to --on new-data',
      ],
    ];
    await p.write('broken.ts', 'export const x = ;\n');
    for (const [args, message] of cases) {
      const r = p.strata(...args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stderr).toContain('fix:');
    }
    expect(p.strata('schedule', 'list', '--json').stdout.trim()).toBe('[]');
    expect(p.strata('trigger', 'list', '--json').stdout.trim()).toBe('[]');
  });

  it('manages schedules: create, list, describe, pause, resume, delete', () => {
    const created = p.strata(
      'schedule',
      'create',
      'on-data.ts',
      '--cron',
      '0 3 * * *',
      '--timezone',
      'Europe/Berlin',
      '--jitter',
      '5m',
      '--name',
      'nightly',
    );
    expect(created.code, created.stderr).toBe(0);
    const [row] = JSON.parse(p.strata('schedule', 'list', '--json').stdout) as {
      name: string;
      condition: { timezone: string; jitterMs: number; catchUp: string };
      overlap: string;
      nextFiring: number;
    }[];
    expect(row).toMatchObject({
      name: 'nightly',
      overlap: 'skip',
      condition: { timezone: 'Europe/Berlin', jitterMs: 300_000, catchUp: 'one' },
    });
    expect(row!.nextFiring).toBeGreaterThan(Date.now());
    expect(p.strata('schedule', 'describe', 'nightly').stdout).toContain('cron 0 3 * * * Europe/Berlin');
    expect(p.strata('schedule', 'pause', 'nightly').code).toBe(0);
    expect(JSON.parse(p.strata('schedule', 'describe', 'nightly', '--json').stdout).paused).toBe(true);
    expect(p.strata('schedule', 'resume', 'nightly').code).toBe(0);
    expect(JSON.parse(p.strata('schedule', 'describe', 'nightly', '--json').stdout).paused).toBe(false);
    expect(p.strata('schedule', 'create', 'on-data.ts', '--every', '1h', '--name', 'nightly').code).toBe(2);
    expect(p.strata('trigger', 'describe', 'nightly').code).toBe(2);
    expect(p.strata('schedule', 'delete', 'nightly').code).toBe(0);
    expect(p.strata('schedule', 'delete', 'nightly').stderr).toContain('no schedule named "nightly"');
  });

  it('the agent starts a run when a CSV lands, once, linked both ways; agent status reports it', async () => {
    const created = p.strata(
      'trigger',
      'create',
      'on-data.ts',
      '--on',
      'new-data',
      '--source',
      'incoming/*.csv',
      '--poll',
      '1s',
      '--name',
      'fresh',
    );
    expect(created.code, created.stderr).toBe(0);
    agent = spawn(process.execPath, [bin, 'agent', '--tick', '1s'], {
      cwd: p.root,
      env: { ...process.env, STRATA_PROJECT_ROOT: p.root, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    agent.stdout!.on('data', (d) => (log += d));
    agent.stderr!.on('data', (d) => (log += d));
    await until('the agent to evaluate', () => (log.includes('evaluating') ? true : undefined));
    await writeFile(p.path('incoming', 'day-1.csv'), 'x,y\n1,2\n');
    const firing = await until('a firing whose run completed', () => {
      const rows = JSON.parse(p.strata('trigger', 'history', 'fresh', '--json').stdout) as {
        status: string;
        runId: string;
        runStatus: string | null;
        reason: string;
        evidence: { added: string[] };
      }[];
      return rows[0]?.runStatus === 'completed' ? rows : undefined;
    });
    expect(firing).toHaveLength(1);
    expect(firing[0]!.reason).toContain('1 added (day-1.csv)');
    expect(firing[0]!.evidence.added).toEqual(['day-1.csv']);
    const { openDatabase } = await import('@strata/metadata');
    const db = await openDatabase(p.path('.strata/strata.db'));
    try {
      expect((await db.getMetadata('run', firing[0]!.runId))['strata.trigger']).toMatchObject({
        trigger: 'fresh',
        kind: 'new_data',
      });
      expect(JSON.stringify((await db.getRun(firing[0]!.runId))?.params)).toContain('day-1.csv');
    } finally {
      await db.close();
    }
    const status = p.strata('agent', 'status');
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/live\s+evaluating/);

    agent.kill('SIGINT');
    await until('the agent to stop', () => (agent!.exitCode !== null ? true : undefined));
    expect(agent.exitCode, log).toBe(0);
    expect(p.strata('agent', 'status').stdout).toMatch(/stopped/);
    // Same data, a restarted agent: no second run.
    expect(JSON.parse(p.strata('trigger', 'history', 'fresh', '--json').stdout)).toHaveLength(1);
  });
});
