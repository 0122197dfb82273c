/** Test helpers: a throw-away project with a temporal stack, and worker child processes. */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openProject, stepCommand } from '@strata/project';

const src = fileURLToPath(new URL('..', import.meta.url));

/** The dev server's address; fails loudly when the server is not running (no silent skips). */
export function temporalAddress(): string {
  const address = process.env.STRATA_TEST_TEMPORAL_ADDRESS;
  if (!address)
    throw new Error(
      'STRATA_TEST_TEMPORAL_ADDRESS is not set: run `bash scripts/services/all.sh temporal && source .services/env`',
    );
  return address;
}

export interface TemporalProject {
  readonly root: string;
  readonly taskQueue: string;
}

/**
 * Creates a project under the temp dir with stacks `local` (the default) and `temporal` (temporal
 * orchestrator on a fresh task queue, local artifact store, SQLite: localWorkersOnly).
 */
export async function createTemporalProject(
  orchestrator: Record<string, unknown> = {},
): Promise<TemporalProject> {
  const root = await mkdtemp(join(tmpdir(), 'strata-temporal-'));
  await mkdir(join(root, '.strata'), { recursive: true });
  await writeFile(
    join(root, 'package.json'),
    '{"name":"temporal-test-project","private":true,"type":"module"}\n',
  );
  await writeFile(
    join(root, '.strata', 'config.json'),
    JSON.stringify({ version: 1, plugins: [relative(root, join(src, 'index.ts'))] }),
  );
  const taskQueue = `strata-test-${randomUUID().slice(0, 8)}`;
  const project = await openProject({ cwd: root });
  try {
    const now = Date.now();
    const db = project.database;
    await db.createComponent({
      type: 'orchestrator',
      name: 'temporal',
      flavor: 'temporal',
      config: {
        address: temporalAddress(),
        taskQueue,
        localWorkersOnly: true,
        heartbeatTimeoutMs: 3000,
        ...orchestrator,
      },
      createdAt: now,
      updatedAt: now,
    });
    await db.createStack({
      name: 'temporal',
      components: { orchestrator: 'temporal', artifact_store: 'default' },
      createdAt: now,
      updatedAt: now,
    });
  } finally {
    await project.close();
  }
  return { root, taskQueue };
}

export interface WorkerProcess {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts `worker-main.ts` in a child process, with the same Node flags as the project's step command
 * (tsx, and the @strata/* `source` condition).
 */
export function spawnWorker(root: string, args: readonly string[] = ['--stack', 'temporal']): WorkerProcess {
  const [node, ...flags] = stepCommand().slice(0, -1);
  const child = spawn(node!, [...flags, join(src, 'worker-main.ts'), ...args], {
    cwd: root,
    env: { ...process.env, STRATA_PROJECT_ROOT: root },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('strata worker ready')) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.on('exit', (code, signal) =>
      reject(new Error(`worker exited (${signal ?? code}) before it was ready:\n${out}`)),
    );
  });
  ready.catch(() => undefined);
  return {
    child,
    ready,
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }),
  };
}
