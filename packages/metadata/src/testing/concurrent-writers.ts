import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { migrations } from '../migrations/index.js';
import { openDatabase } from '../open-database.js';

const here = dirname(fileURLToPath(import.meta.url));

/** The nearest folder (upwards) that has tsx installed: processes run there with `--import tsx`. */
function workspaceRoot(): string {
  for (let dir = here; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules', 'tsx'))) return dir;
  }
  throw new Error(`tsx is not installed above ${here}: run pnpm install at the workspace root`);
}

export interface ConcurrentWriters {
  readonly url: string;
  readonly processes: number;
  readonly runsPerProcess: number;
  readonly stepsPerRun: number;
}

interface Outcome {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Starts `processes` node processes (tsx on the sources) that open `url` together (racing on the
 * first migration), wait until all are ready, then record runs at the same time. Resolves with each
 * process's exit code and output.
 */
export async function runConcurrentWriters(options: ConcurrentWriters): Promise<Outcome[]> {
  const root = workspaceRoot();
  const script = join(here, 'writer-process.ts');
  const hooks = join(here, 'source-condition.mjs');
  const children: ChildProcess[] = [];
  const outcomes: Promise<Outcome>[] = [];
  const ready: Promise<void>[] = [];
  for (let worker = 0; worker < options.processes; worker++) {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--import',
        hooks,
        script,
        options.url,
        String(worker),
        String(options.runsPerProcess),
        String(options.stepsPerRun),
      ],
      { cwd: root, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } },
    );
    children.push(child);
    let stdout = '';
    let stderr = '';
    ready.push(
      new Promise((resolve) => {
        child.stdout!.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          if (stdout.startsWith('ready\n')) resolve();
        });
        child.once('exit', () => resolve());
      }),
    );
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    outcomes.push(new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr }))));
  }
  await Promise.all(ready);
  for (const child of children) child.stdin!.end('go\n');
  return Promise.all(outcomes);
}

/** Every process succeeded and every row they wrote is there and consistent. */
export async function expectConsistentWrites(options: ConcurrentWriters, outcomes: Outcome[]): Promise<void> {
  for (const [worker, outcome] of outcomes.entries()) {
    expect(outcome.stderr, `writer ${worker} stderr`).not.toMatch(/locked|SQLITE_BUSY|Error/);
    expect(outcome.code, `writer ${worker} failed:\n${outcome.stderr}`).toBe(0);
  }
  const { processes, runsPerProcess, stepsPerRun } = options;
  const totalRuns = processes * runsPerProcess;
  const db = await openDatabase(options.url);
  try {
    const k = db.context.db;
    const count = async (
      table: 'runs' | 'step_runs' | 'artifacts' | 'events' | 'logs' | 'metadata' | 'model_versions',
    ) =>
      Number(
        (
          await k
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect(await count('runs')).toBe(totalRuns);
    expect(await count('step_runs')).toBe(totalRuns * stepsPerRun);
    expect(await count('artifacts')).toBe(totalRuns * stepsPerRun);
    expect(await count('events')).toBe(totalRuns * (2 * stepsPerRun - 1));
    expect(await count('logs')).toBe(totalRuns * stepsPerRun * 2);
    expect(await count('metadata')).toBe(totalRuns * stepsPerRun);

    const runs = await db.listRuns({ pipelineName: 'concurrent' });
    expect(runs.filter((r) => r.status === 'completed')).toHaveLength(totalRuns);
    const unfinished = await k
      .selectFrom('step_runs')
      .select('id')
      .where('status', '<>', 'completed')
      .execute();
    expect(unfinished).toEqual([]);
    const lastStep = `w0-r0-s${stepsPerRun - 1}`;
    const lineage = await db.lineage(`${lastStep}-out`);
    expect(lineage?.producers.map((s) => s.id)).toEqual([lastStep]);

    // Model versions: distinct and gapless across processes; each process saw its own numbers.
    const versions = (await db.listModelVersions('shared')).map((v) => v.version);
    expect(versions).toEqual(Array.from({ length: totalRuns }, (_, i) => i + 1));
    const reported = outcomes.flatMap(
      (o) => (JSON.parse(o.stdout.trim().split('\n').at(-1)!) as { versions: number[] }).versions,
    );
    expect(reported.sort((a, b) => a - b)).toEqual(versions);
    // Alias moves serialized: each change's previousVersion is the version set just before it.
    const history = await db.aliasHistory('shared', 'latest');
    expect(history).toHaveLength(totalRuns);
    for (const [i, change] of history.entries()) {
      expect(change.previousVersion).toBe(i === 0 ? null : history[i - 1]!.version);
    }
    // The first opens raced on migrating the empty database: it was migrated exactly once.
    const schemaRows = await k.selectFrom('strata_schema_version').select('version').execute();
    expect(schemaRows.map((r) => r.version)).toEqual(migrations.map((m) => m.version));
  } finally {
    await db.close();
  }
}
