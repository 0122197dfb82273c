/**
 * `pnpm bench tabular -- --threads [--rows 1000000]`: gradient boosting's training on one thread
 * against the machine's cores (the per-row work split by row blocks across threads), on the same binned
 * training set, alternating rounds so load drifts hit both alike. Prints the wall time of each fit,
 * the median ratio, and whether the models are identical (they must be); beside wall time, each
 * fit's busiest thread's CPU (thread-cpu.ts), which load moves far less. Run by index.ts in its own process.
 */
import { availableParallelism } from 'node:os';
import type { Table } from 'apache-arrow';
import { loadStrataMl } from './strata-ml.js';
import { withThreadCpu } from './thread-cpu.js';

const { defaultTransformSpec, fitBundle, fitTransform, localFile, readBatches, splitBatches } =
  await loadStrataMl();
const [path, hyperJson, roundsText] = process.argv.slice(2);
const hyper = JSON.parse(hyperJson ?? '{}');
const rounds = Number(roundsText ?? '2');
const { train } = await splitBatches(readBatches(localFile(path!), 'csv'), { evalFraction: 0.2, seed: 0 });
const label = 'Species';
const transform = fitTransform(train, defaultTransformSpec(train, { label }), { label });
const cores = Math.min(availableParallelism(), 8);
const fit = async (table: Table, threads: number) => {
  const started = performance.now();
  const { result, perThread } = await withThreadCpu(() =>
    fitBundle({
      table,
      transform,
      task: 'classification',
      adapter: 'gradient-boosting',
      hyperParameters: hyper,
      threads,
    }),
  );
  return {
    seconds: (performance.now() - started) / 1000,
    model: JSON.stringify(result.bundle.model),
    // The two busiest threads: the fitting thread and its helper (the main thread only waits).
    busiest: perThread[0] ?? 0,
    cpu: perThread.reduce((a, b) => a + b, 0),
  };
};
const one: number[] = [];
const many: number[] = [];
/** CPU seconds of the busiest thread, per fit. */
const oneBusiest: number[] = [];
const manyBusiest: number[] = [];
let identical = true;
let reference: string | undefined;
for (let round = 0; round < rounds; round++) {
  for (const threads of round % 2 === 0 ? [1, cores] : [cores, 1]) {
    const { seconds, model, busiest, cpu } = await fit(train, threads);
    (threads === 1 ? one : many).push(seconds);
    (threads === 1 ? oneBusiest : manyBusiest).push(busiest);
    reference ??= model;
    identical &&= model === reference;
    console.log(
      `round ${round + 1}, ${threads} thread(s): ${seconds.toFixed(1)} s wall, ${cpu.toFixed(1)} s CPU, busiest thread ${busiest.toFixed(1)} s`,
    );
  }
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
console.log(
  JSON.stringify({
    rows: train.numRows,
    cores,
    oneThreadSeconds: one.map((s) => Number(s.toFixed(1))),
    coresSeconds: many.map((s) => Number(s.toFixed(1))),
    speedup: Number((median(one) / median(many)).toFixed(2)),
    // Load-independent: one thread's CPU over the busiest thread's CPU with all cores (the wall
    // time an idle machine could reach, barring waits between tasks).
    oneThreadCpuSeconds: oneBusiest.map((s) => Number(s.toFixed(1))),
    coresBusiestThreadCpuSeconds: manyBusiest.map((s) => Number(s.toFixed(1))),
    cpuSplitSpeedup: Number((median(oneBusiest) / median(manyBusiest)).toFixed(2)),
    identicalModels: identical,
  }),
);
