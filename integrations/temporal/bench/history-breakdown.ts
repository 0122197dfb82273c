/**
 * Where a step's time goes, from Temporal's own event history (docs/benchmarks.md#temporal-orchestrator):
 * rounds of one raw chain and one Strata chain of N no-op steps on the same server; per workflow:
 *   client   wall time of the caller outside the history (Strata: compile, record, start; both: result)
 *   head     workflow start -> first step activity scheduled (Strata: the plan, as a local activity)
 *   tail     last step activity completed -> workflow closed (Strata: finishing the run)
 * and averages over the step activities (noop, runStep) of
 *   queue    ActivityTaskScheduled -> ActivityTaskStarted (0 when dispatched eagerly to the worker),
 *   execute  ActivityTaskStarted -> ActivityTaskCompleted (the activity, StepRunner included),
 *   between  ActivityTaskCompleted -> next ActivityTaskScheduled (a workflow task round trip),
 * with the medians of workflow task scheduled -> started (wait) and started -> completed (run).
 *   node --import tsx --import ./packages/project/hooks/source-conditions.mjs integrations/temporal/bench/history-breakdown.ts [--length 30] [--rounds 3] [--concurrency 4]
 */
import { rm } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { openStack } from '@strata/project';
import { Client, Connection } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time.js';
import { createTemporalProject, spawnWorker, temporalAddress } from '../src/testing/temporal-project.js';
import { chain } from './chain-pipeline.js';
import { startRawWorker } from './raw-worker.js';
import { workflowDone } from './workflow-done.js';

const { values } = parseArgs({
  options: {
    length: { type: 'string', default: '30' },
    concurrency: { type: 'string' },
    rounds: { type: 'string', default: '3' },
  },
});
const length = Number(values.length);
const median = (xs: number[]) =>
  xs.length === 0 ? Number.NaN : [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const address = temporalAddress();
const project = await createTemporalProject({ heartbeatTimeoutMs: 30_000 });
const stack = await openStack({ cwd: project.root, stack: 'temporal' });
const worker = spawnWorker(project.root, [
  '--stack',
  'temporal',
  ...(values.concurrency ? ['--concurrency', values.concurrency] : []),
]);
const rawQueue = `${project.taskQueue}-raw`;
const rawWorker = await startRawWorker(address, rawQueue);
const connection = await Connection.connect({ address });
const client = new Client({ connection });

async function breakdown(label: string, workflowId: string, wallMs: number) {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const events = history.events ?? [];
  const at = (i: number) => tsToMs(events[i]!.eventTime);
  const first = at(0);
  const last = at(events.length - 1);
  // Step activities only (noop, runStep): the run's own bookkeeping shows up in head and tail.
  const steps: { scheduled: number; started?: number; completed?: number }[] = [];
  const bySchedule = new Map<number, (typeof steps)[number]>();
  const wftWait: number[] = [];
  const wftRun: number[] = [];
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    if (e.activityTaskScheduledEventAttributes) {
      const name = e.activityTaskScheduledEventAttributes.activityType?.name;
      if (name === 'noop' || name === 'runStep') {
        const s = { scheduled: at(i) };
        steps.push(s);
        bySchedule.set(Number(e.eventId), s);
      }
    } else if (e.activityTaskStartedEventAttributes) {
      const s = bySchedule.get(Number(e.activityTaskStartedEventAttributes.scheduledEventId));
      if (s) s.started = at(i);
    } else if (e.activityTaskCompletedEventAttributes) {
      const s = bySchedule.get(Number(e.activityTaskCompletedEventAttributes.scheduledEventId));
      if (s) s.completed = at(i);
    } else if (e.workflowTaskStartedEventAttributes) wftWait.push(at(i) - at(i - 1));
    else if (e.workflowTaskCompletedEventAttributes) wftRun.push(at(i) - at(i - 1));
  }
  const queue = steps.map((s) => s.started! - s.scheduled);
  const execute = steps.map((s) => s.completed! - s.started!);
  const between = steps.slice(1).map((s, i) => s.scheduled - steps[i]!.completed!);
  const head = steps[0]!.scheduled - first;
  const tail = last - steps[steps.length - 1]!.completed!;
  const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  console.log(
    `| ${label} | ${wallMs.toFixed(0)} | ${(wallMs - (last - first)).toFixed(0)} | ${head.toFixed(0)} | ${tail.toFixed(0)} | ${events.length} | ${avg(queue).toFixed(1)} | ${avg(execute).toFixed(1)} | ${avg(between).toFixed(1)} | ${median(wftWait).toFixed(1)} | ${median(wftRun).toFixed(1)} |`,
  );
}

try {
  await worker.ready;
  const raw = async (round: number) => {
    const id = `raw-${project.taskQueue}-${round}`;
    const t0 = performance.now();
    await client.workflow.execute('rawChain', { taskQueue: rawQueue, workflowId: id, args: [length] });
    return { id, ms: performance.now() - t0 };
  };
  const strata = async (round: number) => {
    const t0 = performance.now();
    const handle = await chain.run({ stack, params: { length, round } });
    await workflowDone(client, handle.id);
    return { id: handle.id, ms: performance.now() - t0 };
  };
  await raw(-1);
  await strata(-1);
  console.log(
    `load average ${(await import('node:os'))
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  console.log(
    '| workflow | wall ms | client ms | head ms | tail ms | events | queue ms/step | execute ms/step | between ms/step | WFT wait | WFT run |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  );
  for (let r = 0; r < Number(values.rounds); r++) {
    const a = await raw(r);
    await breakdown('raw', a.id, a.ms);
    const b = await strata(r);
    await breakdown('strata', b.id, b.ms);
  }
} finally {
  await rawWorker.stop();
  await connection.close();
  await stack.close();
  await worker.stop();
  await rm(project.root, { recursive: true, force: true });
}
