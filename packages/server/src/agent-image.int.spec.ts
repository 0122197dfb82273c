import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServerTestProject, type ServerTestProject } from './testing/project.js';
import { workspace } from './testing/server-process.js';
import { storeTargets } from './testing/targets.js';
import { until } from './testing/until.js';

const run = promisify(execFile);
const docker = (...args: string[]) => run('docker', args, { maxBuffer: 16 * 1024 * 1024 });
const IMAGE = 'strata-server:test';

const pipelineSource = `import { pipeline, step, t } from '@strata/core';
import { z } from 'zod';

const count = step({
  name: 'count',
  outputs: { files: t.json<string[]>() },
  params: z.object({ added: z.array(z.string()).default([]) }),
  run: (_inputs, { added }) => ({ files: added }),
});

export const ingest = pipeline({
  name: 'ingest',
  params: z.object({ data: z.object({ added: z.array(z.string()) }).optional() }),
  body: ({ data }) => {
    count({}, { params: { added: data?.added ?? [] } });
  },
});
`;

interface Firing {
  status: string;
  runId: string;
  runStatus: string | null;
  firedBy: string;
  reason: string;
}

/**
 * `strata agent` in a container of the Strata image (packages/server/deploy/build-image.sh: the same
 * image serves `strata server`, `strata agent` and `strata worker`), run by the Docker engine against
 * a project on the team's PostgreSQL: a file lands in the watched folder, the containerised agent fires
 * the trigger and its `strata run` child (in the container) completes the run. The project folder is
 * mounted at its own path, and so is this workspace, read-only: the project's node_modules link into
 * it, as a real project's installed packages would be in its folder. Host network: the test
 * PostgreSQL listens on loopback only.
 */
describe('strata agent in the Strata image, on PostgreSQL (Docker)', { timeout: 900_000 }, () => {
  const [, pg] = storeTargets();
  const container = `strata-agent-${process.pid}-${Date.now().toString(36)}`;
  let project: ServerTestProject;

  beforeAll(async () => {
    const built = await run('bash', [join(workspace, 'packages/server/deploy/build-image.sh'), IMAGE], {
      timeout: 840_000,
    });
    expect(built.stdout.trim()).toBe(IMAGE);
    project = await createServerTestProject(await pg!.url());
    await writeFile(join(project.root, 'ingest.ts'), pipelineSource);
    await mkdir(join(project.root, 'incoming'));
    const created = await project.strata(
      'trigger',
      'create',
      'ingest.ts',
      '--on',
      'new-data',
      '--source',
      'incoming',
      '--as',
      'data',
      '--poll',
      '1s',
      '--name',
      'fresh',
    );
    expect(created.code, created.stderr).toBe(0);
  }, 900_000);

  afterAll(async () => {
    await docker('rm', '-f', container).catch(() => {});
    await project?.dispose();
    await pg?.dispose();
  }, 120_000);

  it('fires a new-data trigger from the container and the run completes; stops cleanly on docker stop', async () => {
    await docker(
      'run',
      '-d',
      '--name',
      container,
      '--network',
      'host',
      '-v',
      `${project.root}:${project.root}`,
      '-v',
      `${workspace}:${workspace}:ro`,
      '-w',
      project.root,
      '-e',
      `STRATA_DATABASE_URL=${project.env.STRATA_DATABASE_URL}`,
      IMAGE,
      'agent',
      '--tick',
      '1s',
    );
    const hostname = (await docker('inspect', '--format', '{{.Config.Hostname}}', container)).stdout.trim();
    // The containerised agent reports itself in the shared store, from the container's host name.
    await until('the agent in the container to report and evaluate', 120_000, async () => {
      const status = await project.strata('agent', 'status', '--json');
      const agents = JSON.parse(status.stdout) as { host: string; state: string; evaluating: boolean }[];
      return agents.some((a) => a.host === hostname && a.state === 'live' && a.evaluating) ? true : undefined;
    });

    await writeFile(join(project.root, 'incoming', 'day-1.csv'), 'x\n1\n');
    const firing = await until('the triggered run to complete', 180_000, async () => {
      const history = await project.strata('trigger', 'history', 'fresh', '--json');
      const rows = JSON.parse(history.stdout) as Firing[];
      const failed = rows.find((r) => r.runStatus === 'failed');
      if (failed) {
        const logs = await docker('logs', container);
        throw new Error(`run failed: ${JSON.stringify(failed)}\n${logs.stdout}${logs.stderr}`);
      }
      return rows.find((r) => r.runStatus === 'completed');
    });
    expect(firing.reason).toContain('day-1.csv');
    expect(firing.firedBy).toContain(hostname);
    const shown = JSON.parse((await project.strata('runs', 'show', firing.runId, '--json')).stdout) as {
      run: { params: { data?: { added?: string[] } }; status: string };
    };
    expect(shown.run.params.data?.added).toEqual(['day-1.csv']);

    // SIGTERM (docker stop): the agent releases its lease and records itself stopped, exit 0.
    await docker('stop', '-t', '30', container);
    const exit = (await docker('inspect', '--format', '{{.State.ExitCode}}', container)).stdout.trim();
    expect(exit).toBe('0');
    const status = JSON.parse((await project.strata('agent', 'status', '--json')).stdout) as {
      host: string;
      state: string;
    }[];
    expect(status.find((a) => a.host === hostname)?.state).toBe('stopped');
  });
});
