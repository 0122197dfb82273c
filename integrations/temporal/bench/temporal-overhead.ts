/**
 * Temporal orchestrator benchmark (docs/benchmarks.md#temporal-orchestrator):
 * 1. per-step overhead: a Strata pipeline of N no-op steps in sequence against a raw Temporal
 *    workflow calling a no-op activity N times, on the same dev server, one worker each, interleaved;
 * 2. throughput: map instances per second of a fan-out with 1, 2 and 4 worker processes.
 */
import { rm } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { openStack } from '@strata/project';
import { Client, Connection } from '@temporalio/client';
import {
  createTemporalProject,
  spawnWorker,
  temporalAddress,
  type WorkerProcess,
} from '../src/testing/temporal-project.js';
import { chain, wide } from './chain-pipeline.js';
import { startRawWorker } from './raw-worker.js';
import { workflowDone } from './workflow-done.js';

const { values } = parseArgs({
  options: {
    length: { type: 'string', default: '30' },
    rounds: { type: 'string', default: '3' },
    items: { type: 'string', default: '600' },
  },
});
const length = Number(values.length);
const rounds = Number(values.rounds);
const items = Number(values.items);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const address = temporalAddress();
const project = await createTemporalProject({ heartbeatTimeoutMs: 30_000 });
const stack = await openStack({ cwd: project.root, stack: 'temporal' });
const workers: WorkerProcess[] = [];
const startWorkers = async (n: number) => {
  while (workers.length < n) workers.push(spawnWorker(project.root));
  await Promise.all(workers.map((w) => w.ready));
};

// The raw baseline worker, in this process, on its own task queue.
const rawQueue = `${project.taskQueue}-raw`;
const rawWorker = await startRawWorker(address, rawQueue);
const connection = await Connection.connect({ address });
const client = new Client({ connection });

try {
  await startWorkers(1);
  const strataRound = async (round: number) => {
    const t0 = performance.now();
    const handle = await chain.run({ stack, params: { length, round } });
    await workflowDone(client, handle.id);
    const ms = performance.now() - t0;
    const run = await stack.database.getRun(handle.id);
    if (run?.status !== 'completed') throw new Error(`chain run ${handle.id} ${run?.status}: ${run?.error}`);
    return ms;
  };
  const rawRound = async (round: number) => {
    const t0 = performance.now();
    const result = await client.workflow.execute('rawChain', {
      taskQueue: rawQueue,
      workflowId: `raw-${project.taskQueue}-${round}`,
      args: [length],
    });
    if (result !== length) throw new Error(`raw chain returned ${result}`);
    return performance.now() - t0;
  };
  await rawRound(-1); // warm-up: the worker's first workflow task, connections
  await strataRound(-1); // warm-up: module import and compile on the worker
  const raw: number[] = [];
  const strata: number[] = [];
  for (let r = 0; r < rounds; r++) {
    raw.push(await rawRound(r));
    strata.push(await strataRound(r));
  }
  // For reading the difference: the StepRunner's own cost per step, in process, no Temporal.
  const local = await openStack({ cwd: project.root, stack: 'default' });
  const inProcess: number[] = [];
  try {
    for (let r = 0; r < rounds; r++) {
      const t0 = performance.now();
      const run = await (await chain.run({ stack: local, params: { length, round: 100 + r } })).wait();
      if (run.status !== 'completed') throw new Error(`local chain ${run.id} ${run.status}: ${run.error}`);
      inProcess.push(performance.now() - t0);
    }
  } finally {
    await local.close();
  }
  const rawPerStep = median(raw) / length;
  const strataPerStep = median(strata) / length;
  console.log(`\n## per-step overhead (${length} sequential no-op steps, median of ${rounds} rounds)`);
  console.log('| | ms per step | steps/s |\n|---|---:|---:|');
  console.log(
    `| raw Temporal workflow + no-op activity | ${rawPerStep.toFixed(1)} | ${(1000 / rawPerStep).toFixed(1)} |`,
  );
  console.log(
    `| Strata pipeline on the temporal orchestrator | ${strataPerStep.toFixed(1)} | ${(1000 / strataPerStep).toFixed(1)} |`,
  );
  console.log(
    `| (StepRunner alone: local orchestrator, in process) | ${(median(inProcess) / length).toFixed(1)} | ${((1000 * length) / median(inProcess)).toFixed(1)} |`,
  );
  console.log(`\nratio Strata / raw: ${(strataPerStep / rawPerStep).toFixed(2)} (target <= 1.3)`);

  console.log(`\n## throughput (map over ${items} items, batches of 50)`);
  console.log('| workers | wall s | instances/s |\n|---:|---:|---:|');
  for (const n of [1, 2, 4]) {
    await startWorkers(n);
    const t0 = performance.now();
    const handle = await wide.run({ stack, params: { count: items, round: n } });
    await workflowDone(client, handle.id);
    const s = (performance.now() - t0) / 1000;
    const run = await stack.database.getRun(handle.id);
    if (run?.status !== 'completed')
      throw new Error(`fan-out run ${handle.id} ${run?.status}: ${run?.error}`);
    console.log(`| ${n} | ${s.toFixed(1)} | ${(items / s).toFixed(1)} |`);
  }
} finally {
  await rawWorker.stop();
  await connection.close();
  await stack.close();
  await Promise.all(workers.map((w) => w.stop()));
  await rm(project.root, { recursive: true, force: true });
}
