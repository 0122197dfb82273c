/**
 * Child process of pipeline-memory.spec.ts: writes a seeded penguins-like CSV of N rows, then runs
 * the standard chain on it as the tabular bench does (ingest -> split -> statistics -> schema ->
 * validate + drift -> transform -> train gradient boosting -> evaluate), and prints one JSON line:
 * accuracy, the RSS before ingest (the process's fixed cost), and the peak RSS.
 */
import { createWriteStream } from 'node:fs';
import type { Table } from 'apache-arrow';
import { detectDrift } from '../data/drift.js';
import { localFile } from '../data/read/data-file.js';
import { readBatches } from '../data/read/read-batches.js';
import { inferSchema } from '../data/schema.js';
import { splitBatches } from '../data/split.js';
import { computeStatistics } from '../data/statistics.js';
import { validateDataset } from '../data/validate.js';
import { evaluateModel } from '../evaluate/evaluate-model.js';
import { fitTransform } from '../features/transform.js';
import { defaultTransformSpec } from '../features/transform-spec.js';
import { fitBundle } from '../models/fit-bundle.js';

const [path, rowsText] = process.argv.slice(2);
const rows = Number(rowsText);
let a = 11;
const random = () => {
  a = (Math.imul(a, 1103515245) + 12345) >>> 0;
  return (a + 1) / 2 ** 32;
};
const out = createWriteStream(path!);
const write = (text: string) =>
  out.write(text) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', resolve));
await write('species,island,bill,depth,flipper,mass\n');
let buffer = '';
const cell = (v: number, digits: number) => (random() < 0.01 ? '' : v.toFixed(digits));
for (let i = 0; i < rows; i++) {
  const s = Math.floor(random() * 3);
  const island = s === 1 ? 'Dream' : ['Biscoe', 'Dream', 'Torgersen'][Math.floor(random() * 3)];
  buffer += `${['Adelie', 'Chinstrap', 'Gentoo'][s]},${island},${cell(39 + 9 * (s > 0 ? 1 : 0) + 6 * random(), 1)},${cell(18 - 3 * (s === 2 ? 1 : 0) + 2 * random(), 1)},${cell(190 + 25 * (s === 2 ? 1 : 0) + 12 * random(), 0)},${cell(3700 + 1300 * (s === 2 ? 1 : 0) + 900 * random(), 0)}\n`;
  if (buffer.length > 1 << 20) {
    await write(buffer);
    buffer = '';
  }
}
await write(buffer);
await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));

const baseRssMb = Math.round(process.memoryUsage().rss / 2 ** 20);
const started = performance.now();
let train: Table | undefined;
// biome-ignore lint/style/useConst: assigned with `train`, which is let go of before training
let evalTable: Table;
({ train, eval: evalTable } = await splitBatches(readBatches(localFile(path!), 'csv'), {
  evalFraction: 0.2,
  seed: 0,
}));
const schema = inferSchema(computeStatistics(train));
const report = validateDataset(evalTable, schema);
detectDrift(train, evalTable, { psiThreshold: 0.2, ksPValueThreshold: 0 });
const label = 'species';
const transform = fitTransform(train, defaultTransformSpec(train, { label }), { label });
const fitting = fitBundle({
  table: train,
  transform,
  task: 'classification',
  adapter: 'gradient-boosting',
  hyperParameters: { nEstimators: 10, learningRate: 0.3, maxLeaves: 15, subsample: 0.5 },
});
train = undefined;
const { bundle } = await fitting;
const evaluation = await evaluateModel(bundle, evalTable);
console.log(
  JSON.stringify({
    rows,
    seconds: (performance.now() - started) / 1000,
    accuracy: (evaluation.metrics as { accuracy: number }).accuracy,
    validationOk: report.ok,
    baseRssMb,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
