import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Stack } from '@strata/core';
import { openProject, openStack, stepCommand } from '@strata/project';
import Docker from 'dockerode';
import type { ProjectImage } from '../src/project-image.js';

const here = fileURLToPath(new URL('.', import.meta.url));

export interface TestProject {
  readonly root: string;
  stack(name?: string): Promise<Stack>;
  /** Submits `module`'s `name` pipeline from a tsx child process, as `strata run` would. */
  submit(module: string, name: string, options?: SubmitOptions): Promise<SubmitResult>;
}

export interface SubmitOptions {
  readonly stack?: string;
  readonly noCache?: boolean;
  readonly onStart?: (runId: string) => void;
  /** The submitter process, e.g. to kill it. */
  readonly onChild?: (child: ChildProcess) => void;
}

export interface SubmitResult {
  readonly runId: string;
  readonly status: string;
  readonly error: string | null;
  readonly image?: ProjectImage;
  readonly output: string;
}

/**
 * A throwaway project inside the workspace whose `docker` stack runs steps in containers. `plugins`:
 * more plugin paths for its config, relative to the project root (`../../test/x.ts` for a file in test/).
 */
export async function dockerProject(
  config: Record<string, unknown> = {},
  options: { plugins?: readonly string[] } = {},
): Promise<TestProject> {
  const root = join(here, '..', '.test-projects', randomUUID().slice(0, 8));
  await mkdir(join(root, '.strata'), { recursive: true });
  // Loaded by path, so step containers load the same plugin source with tsx.
  await writeFile(
    join(root, '.strata', 'config.json'),
    JSON.stringify({
      version: 1,
      activeStack: 'default',
      plugins: ['../../src/index.ts', ...(options.plugins ?? [])],
    }),
  );
  const project = await openProject({ cwd: root });
  const now = Date.now();
  await project.database.createComponent({
    type: 'orchestrator',
    name: 'docker',
    flavor: 'docker',
    config: { concurrency: 2, timeoutGraceMs: 2000, streamLogs: false, ...config },
    createdAt: now,
    updatedAt: now,
  });
  await project.database.createStack({
    name: 'docker',
    components: { orchestrator: 'docker', artifact_store: 'default' },
    createdAt: now,
    updatedAt: now,
  });
  await project.close();
  return {
    root,
    stack: (name = 'docker') => openStack({ cwd: root, stack: name }),
    submit: (module, name, options = {}) => submit(root, module, name, options),
  };
}

function submit(root: string, module: string, name: string, options: SubmitOptions): Promise<SubmitResult> {
  // The same node + tsx + source hook as the step entry command.
  const [node, ...flags] = stepCommand().slice(0, -1);
  const args = [
    ...flags,
    join(here, 'submit.ts'),
    root,
    options.stack ?? 'docker',
    module,
    name,
    ...(options.noCache ? ['--no-cache'] : []),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(node!, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    options.onChild?.(child);
    let output = '';
    let onStart = options.onStart;
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const started = /\{"started":"([^"]+)"\}/.exec(output);
      if (started && onStart) {
        onStart(started[1]!);
        onStart = undefined;
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      const last = output
        .trim()
        .split('\n')
        .reverse()
        .find((l) => l.startsWith('{"runId"'));
      if (!last) return reject(new Error(`submit exited with ${code} without a result:\n${output}`));
      resolve({ ...(JSON.parse(last) as Omit<SubmitResult, 'output'>), output });
    });
  });
}

/** Containers of a run still on the engine (any state). */
export async function leftoverContainers(runId: string): Promise<string[]> {
  const docker = new Docker({ socketPath: process.env.STRATA_TEST_DOCKER_SOCKET ?? '/var/run/docker.sock' });
  const list = await docker.listContainers({ all: true, filters: { label: [`dev.strata.run-id=${runId}`] } });
  return list.map((c) => c.Id);
}
