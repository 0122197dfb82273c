/**
 * `pnpm bench tabular -- --threads [--rows 1000000]`: gradient boosting's training on one thread
 * against the machine's cores (histograms split by features across threads), on the same binned
 * training set, alternating rounds so load drifts hit both alike. Prints the wall time of each fit,
 * the median ratio, and whether the models are identical (they must be). Run by index.ts in its own process.
 */
import { availableParallelism } from 'node:os';
import type { Table } from 'apache-arrow';
import { loadStrataMl } from './strata-ml.js';

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
  const { bundle } = await fitBundle({
    table,
    transform,
    task: 'classification',
    adapter: 'gradient-boosting',
    hyperParameters: hyper,
    threads,
  });
  return { seconds: (performance.now() - started) / 1000, model: JSON.stringify(bundle.model) };
};
const one: number[] = [];
const many: number[] = [];
let identical = true;
let reference: string | undefined;
for (let round = 0; round < rounds; round++) {
  for (const threads of round % 2 === 0 ? [1, cores] : [cores, 1]) {
    const { seconds, model } = await fit(train, threads);
    (threads === 1 ? one : many).push(seconds);
    reference ??= model;
    identical &&= model === reference;
    console.log(`round ${round + 1}, ${threads} thread(s): ${seconds.toFixed(1)} s`);
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
    identicalModels: identical,
  }),
);
