/**
 * A code-change trigger on Temporal runs the new commit's code on a worker that has been running all
 * along (real dev server). The worker imports pipeline modules from URLs versioned by their content
 * (code-version.ts): the pipeline imports a helper module, each commit changes only the helper, and
 * each triggered run on the same worker process must run the helper of its commit.
 */
import { execFileSync } from 'node:child_process';
import { readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Stack } from '@strata/core';
import type { FiringWithRun } from '@strata/core/plugin';
import { createTrigger, openStack } from '@strata/project';
import { until as waitUntil } from '@strata/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TemporalOrchestrator } from './temporal-orchestrator.js';
import {
  createTemporalProject,
  spawnWorker,
  type TemporalProject,
  type WorkerProcess,
} from './testing/temporal-project.js';
import { triggerLoopId } from './trigger-loop.js';

let project: TemporalProject;
let stack: Stack;
let worker: WorkerProcess;

const pipelineSource = `import { appendFileSync } from 'node:fs';
import { pipeline, step, t } from '@strata/core';
import { MODEL_VERSION } from './model.js';

const train = step({
  name: 'train',
  outputs: { version: t.json<string>() },
  run: () => {
    appendFileSync('versions.log', \`\${MODEL_VERSION}\\n\`);
    return { version: MODEL_VERSION };
  },
});

export const retrain = pipeline({ name: 'retrain', body: () => { train({}); } });
`;

const git = (...args: string[]) =>
  execFileSync('git', args, { cwd: project.root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

async function commitModel(version: string): Promise<string> {
  await writeFile(join(project.root, 'model.ts'), `export const MODEL_VERSION = '${version}';\n`);
  git('add', '-A');
  git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', `model ${version}`);
  return git('rev-parse', 'HEAD').trim();
}

/** Waits for a state, naming the worker's last output when it does not come. */
const until = <T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 120_000) =>
  waitUntil(what, probe, timeoutMs, () => `${worker?.output().slice(-3000)}`);

const completed = (n: number) =>
  until(`${n} completed run(s) of on-commit`, async () => {
    const firings: FiringWithRun[] = (await stack.database.listFirings({ trigger: 'on-commit' })).reverse();
    const failed = firings.find((f) => f.runStatus === 'failed');
    if (failed) throw new Error(`run failed: ${(await stack.database.getRun(failed.runId!))?.error}`);
    return firings.filter((f) => f.runStatus === 'completed').length >= n ? firings : undefined;
  });

beforeAll(async () => {
  project = await createTemporalProject();
  // The project's own modules: @strata/core and zod resolve from this package's node_modules.
  await symlink(
    fileURLToPath(new URL('../node_modules', import.meta.url)),
    join(project.root, 'node_modules'),
  );
  await writeFile(join(project.root, '.gitignore'), 'node_modules\n.strata\nversions.log\n');
  await writeFile(join(project.root, 'pipeline.ts'), pipelineSource);
  git('init', '-q', '-b', 'main');
  await commitModel('v1');
  worker = spawnWorker(project.root);
  await worker.ready;
  stack = await openStack({ cwd: project.root, stack: 'temporal' });
}, 180_000);

afterAll(async () => {
  if (stack) {
    const orchestrator = stack.orchestrator as TemporalOrchestrator;
    await (await orchestrator.client()).workflow
      .getHandle(triggerLoopId(stack, orchestrator))
      .terminate('test over')
      .catch(() => undefined);
    await stack.close();
  }
  await worker?.stop();
  if (project) await rm(project.root, { recursive: true, force: true });
});

describe('code-change triggers on Temporal (real dev server)', { timeout: 300_000 }, () => {
  it("runs each commit's code on the same long-running worker, helpers included", async () => {
    const record = await createTrigger(stack, {
      name: 'on-commit',
      file: join(project.root, 'pipeline.ts'),
      condition: { kind: 'code_change', branch: 'main', paths: [], pollMs: 300 },
      overlap: 'allow',
    });
    expect(record.firedBy).toBe('temporal');
    // The trigger's first look records the head (v1) without firing.
    await until('the head to be recorded', async () =>
      ((await stack.database.getTrigger('on-commit'))?.cursor as { commit?: string } | null)?.commit
        ? true
        : undefined,
    );

    const v2 = await commitModel('v2');
    const [first] = await completed(1);
    expect(first!.evidence).toMatchObject({ commit: v2 });
    // v3 changes only the helper module: the worker has imported v2's pipeline and helper by now.
    const v3 = await commitModel('v3');
    const firings = await completed(2);
    expect(firings[1]!.evidence).toMatchObject({ commit: v3 });
    expect((await readFile(join(project.root, 'versions.log'), 'utf8')).trim().split('\n')).toEqual([
      'v2',
      'v3',
    ]);

    // One worker process ran both, and each run's snapshot names its own code.
    expect(worker.child.exitCode).toBeNull();
    const snapshots = await Promise.all(
      firings.map(async (f) => (await stack.database.getRun(f.runId!))!.snapshotId),
    );
    expect(new Set(snapshots).size).toBe(2);
    const run3 = await stack.database.getRun(firings[1]!.runId!);
    expect(run3?.orchestrator).toBe('temporal');
  });
});
