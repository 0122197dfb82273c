/**
 * One run of Strata's standard tabular chain on a file, as the pipeline's steps call it: ingest
 * (streaming) -> split -> statistics -> schema -> validate (+ drift) -> transform -> train
 * (gradient boosting on a worker thread) -> evaluate. Prints one JSON line: seconds per stage,
 * accuracy, peak RSS. Run by index.ts in its own process, on the built packages unless
 * STRATA_BENCH_FROM=source (see strata-ml.ts).
 */

import type { Table } from 'apache-arrow';
import { loadStrataMl } from './strata-ml.js';

// The built package by default (what `strata run` and a user run), the sources with --source.
const {
  computeStatistics,
  defaultTransformSpec,
  detectDrift,
  evaluateModel,
  fitBundle,
  fitTransform,
  inferSchema,
  localFile,
  readBatches,
  splitBatches,
  validateDataset,
} = await loadStrataMl();
const [path, hyperJson] = process.argv.slice(2);
const hyper = JSON.parse(hyperJson ?? '{}');
const times: Record<string, number> = {};
/** CPU seconds per stage (every thread of the process): load moves it less than wall time. */
const cpu: Record<string, number> = {};
let lastCpu = process.cpuUsage();
/** RSS after each stage (MB): where the memory goes at 10M rows. */
const rss: Record<string, number> = {};
/** Highest RSS seen during each stage (MB), sampled every 50 ms while the event loop is free (training, prediction) and at its end. */
const peak: Record<string, number> = {};
let stagePeak = 0;
const sampler = setInterval(() => {
  stagePeak = Math.max(stagePeak, process.memoryUsage().rss);
}, 50);
sampler.unref();
let last = performance.now();
const lap = (name: string) => {
  const now = performance.now();
  times[name] = Number(((now - last) / 1000).toFixed(2));
  const usage = process.cpuUsage();
  cpu[name] = Number(((usage.user + usage.system - lastCpu.user - lastCpu.system) / 1e6).toFixed(2));
  lastCpu = usage;
  const current = process.memoryUsage().rss;
  rss[name] = Math.round(current / 2 ** 20);
  peak[name] = Math.round(Math.max(stagePeak, current) / 2 ** 20);
  stagePeak = 0;
  last = now;
};
const started = last;
// Ingest and split in one pass over the file's record batches (as they are read), so the whole
// table is never held beside its two sides: at 10M rows that was 525 MB more at the peak.
let train: Table | undefined;
// biome-ignore lint/style/useConst: assigned with `train`, which is let go of before training
let evalTable: Table;
// biome-ignore lint/style/useConst: assigned together with `train`
let rows: number;
({
  rows,
  train,
  eval: evalTable,
} = await splitBatches(readBatches(localFile(path!), 'csv'), {
  evalFraction: 0.2,
  seed: 0,
}));
lap('ingest');
const statistics = computeStatistics(train);
lap('statistics');
const schema = inferSchema(statistics);
lap('schema');
const report = validateDataset(evalTable, schema);
// As in the pipeline, where the validate step reads the training table back from the artifact
// store (another Table object): the profile the statistics stage made of `train` is not reused.
detectDrift(train.slice(), evalTable, { psiThreshold: 0.2, ksPValueThreshold: 0 });
lap('validate');
const label = 'Species';
const transform = fitTransform(train, defaultTransformSpec(train, { label }), { label });
lap('transform');
// fitBundle bins the features from the table before it returns; the table is not needed while
// the worker trains, so let go of it (8M rows are about 420 MB).
const fitting = fitBundle({
  table: train,
  transform,
  task: 'classification',
  // As the standard pipeline: `auto` picks gradient boosting above 2,000 training rows.
  adapter: 'auto',
  hyperParameters: hyper,
});
train = undefined;
const { bundle } = await fitting;
lap('train');
const evaluation = await evaluateModel(bundle, evalTable);
lap('evaluate');
console.log(
  JSON.stringify({
    rows,
    seconds: Number(((performance.now() - started) / 1000).toFixed(2)),
    stages: times,
    cpuSeconds: cpu,
    rssMbAfter: rss,
    rssMbPeakDuring: peak,
    accuracy: (evaluation.metrics as { accuracy: number }).accuracy,
    validationOk: report.ok,
    anomalies: report.anomalies.map((a) => `${a.kind}:${a.column}`),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
