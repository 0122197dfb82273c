/**
 * Strata's side of the 1 GiB Parquet comparison (run by parquet-big.ts in its own process): reads the
 * file into a table with `readDataset` (as ingest and the Parquet materializer do, the file's sha256
 * included), `--rounds` times; with `--write OUT`, then writes that table with the materializer's
 * writer. Prints one JSON line: seconds per round, rows, bytes written, peak RSS.
 */
import { once } from 'node:events';
import { createWriteStream, statSync } from 'node:fs';
import { readDataset } from '../../packages/ml/src/data/ingest.js';
import { writeParquet } from '../../packages/ml/src/data/read/parquet-write.js';

const args = process.argv.slice(2);
const path = args[0]!;
const option = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const rounds = Number(option('rounds') ?? '1');
const out = option('write');
const seconds = (since: number) => Number(((performance.now() - since) / 1000).toFixed(3));
const result: Record<string, unknown> = {};
const times: number[] = [];
const cpus: number[] = [];
let table: Awaited<ReturnType<typeof readDataset>>['table'] | undefined;
for (let r = 0; r < rounds; r++) {
  table = undefined;
  const t = performance.now();
  // CPU of every thread (the hashing thread included): a figure that does not depend on the load.
  const cpu = process.cpuUsage();
  table = (await readDataset(path, { format: 'parquet' })).table;
  times.push(seconds(t));
  const used = process.cpuUsage(cpu);
  cpus.push(Number(((used.user + used.system) / 1e6).toFixed(3)));
}
result.read = {
  seconds: Math.min(...times),
  rounds: times,
  cpuSeconds: Math.min(...cpus),
  rows: table!.numRows,
};
if (out) {
  const t = performance.now();
  const sink = createWriteStream(out);
  await writeParquet(table!, sink);
  sink.end();
  await once(sink, 'finish');
  result.write = { seconds: seconds(t), bytes: statSync(out).size, rows: table!.numRows };
}
result.peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
console.log(JSON.stringify(result));
