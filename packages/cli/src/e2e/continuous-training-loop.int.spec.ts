/**
 * The whole continuous-training loop on Temporal (real dev server: `source .services/env`), through the
 * built CLI in a temp project made from examples/continuous-training. No agent runs: the durable
 * `strataTriggers` workflow fires both triggers from an activity on `strata worker`, every run (the two
 * data versions and the retraining) executes on the workers, and `strata serve` follows the alias. The
 * loop and its checks are continuous-training-loop.ts, shared with the local spec.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createLoopHarness,
  type LoopHarness,
  ok,
  runWholeLoop,
  setUpTriggers,
  until,
} from './continuous-training-loop.js';
import { ensureBuilt } from './temp-project.js';

const address = process.env.STRATA_TEST_TEMPORAL_ADDRESS;
const taskQueue = `strata-ct-loop-${randomUUID().slice(0, 8)}`;

interface RunRow {
  id: string;
  orchestrator: string;
  stackName: string;
  status: string;
}

describe('continuous training, the whole loop on Temporal (trigger workflow + workers + serve, built CLI)', {
  timeout: 900_000,
}, () => {
  let h: LoopHarness;

  beforeAll(async () => {
    if (!address)
      throw new Error(
        'STRATA_TEST_TEMPORAL_ADDRESS is not set: run `bash scripts/services/temporal.sh && source .services/env`',
      );
    ensureBuilt();
    h = await createLoopHarness();
    const config = JSON.parse(await readFile(h.p.path('.strata/config.json'), 'utf8'));
    await h.p.write('.strata/config.json', JSON.stringify({ ...config, plugins: ['@strata/temporal'] }));
    ok(
      h,
      'orchestrator',
      'register',
      'temporal',
      '--flavor',
      'temporal',
      '--address',
      address,
      '--task-queue',
      taskQueue,
      // The worker, the CLI and the server share this machine's SQLite store and artifact folder.
      '--local-workers-only',
    );
    // The default stack's artifact store and model registry; the temporal orchestrator; active, so
    // `strata serve` and `trigger history` read it too.
    ok(h, 'stack', 'register', 'tstack', '-o', 'temporal', '-a', 'default', '-r', 'default', '--set');
  });
  afterAll(async () => {
    const cli = process.env.STRATA_TEST_TEMPORAL_CLI;
    if (address && cli) {
      // The trigger workflow is durable by design: end it, or it waits on the dev server for a worker.
      spawnSync(cli, [
        'workflow',
        'terminate',
        '--address',
        address,
        '--workflow-id',
        `strata-triggers-tstack-${taskQueue}`,
        '--reason',
        'test over',
      ]);
    }
    await h?.dispose();
  });

  it('new CSV -> trigger workflow -> run on the workers -> gate -> promote -> serve swaps -> rollback + alert -> retraining', async () => {
    // Before the worker starts: a worker builds its stack (the alerter too) once, at start.
    setUpTriggers(h, 'tstack');
    const worker = h.spawnStrata('worker', '--stack', 'tstack', '--concurrency', '2');
    await until(
      'the worker to be ready',
      () => {
        if (worker.exitCode !== null) throw new Error(`worker exited early:\n${h.log()}`);
        return h.log().includes('strata worker ready: stack tstack') ? true : undefined;
      },
      120_000,
    );
    const created = JSON.parse(ok(h, 'trigger', 'list', '--json')) as { name: string; firedBy: string }[];
    expect(created.find((t) => t.name === 'fresh-data')?.firedBy).toBe('temporal');

    const { serve, firings } = await runWholeLoop(h, 'tstack');

    // Every run executed on the Temporal orchestrator of tstack, none through an agent.
    const runs = JSON.parse(ok(h, 'runs', 'list', '--json')) as RunRow[];
    const fired = [...firings['fresh-data'], ...firings.degraded].map((f) => f.runId);
    for (const id of fired) {
      expect(runs.find((r) => r.id === id)).toMatchObject({
        orchestrator: 'temporal',
        stackName: 'tstack',
        status: 'completed',
      });
    }
    expect(h.log()).not.toContain('strata agent');

    for (const child of [worker, serve]) child.kill('SIGTERM');
    await until('worker and server to stop', () =>
      worker.exitCode !== null && serve.exitCode !== null ? true : undefined,
    );
    expect(worker.exitCode, h.log().slice(-3000)).toBe(0);
  });
});
