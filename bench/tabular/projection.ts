/**
 * `pnpm bench tabular -- --projection [--rounds 5] [--wide-rows 300000]`: reading 5 of a Parquet
 * file's 50 columns (`readDataset(path, { columns })`, what the ingest step does with `columns`)
 * against reading all 50, interleaved rounds in this one process (the machine is shared: each side
 * sees the same load). The file (40 float64 columns with nulls, 10 dictionary-friendly strings,
 * written by Strata's own writer, snappy, its default row groups) is generated once into --dir. Prints wall and CPU seconds per
 * side (best of the rounds), the ratio, and checks both sides hash the file the same.
 */
import { once } from 'node:events';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { readDataset } from '../../packages/ml/src/data/ingest.js';
import { writeParquet } from '../../packages/ml/src/data/read/parquet-write.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : fallback;
};
const rows = Number(option('wide-rows', '300000'));
const rounds = Number(option('rounds', '5'));
const dir = option('dir', '/tmp/strata-bench-tabular');
const path = join(dir, `wide-50x${rows}.parquet`);

if (!existsSync(path)) {
  // Through a CSV and Strata's own reader and writer (bench/ cannot import apache-arrow itself).
  await mkdir(dir, { recursive: true });
  const csvPath = `${path}.csv`;
  const csv = createWriteStream(csvPath);
  const names = [
    ...Array.from({ length: 40 }, (_, c) => `f${c}`),
    ...Array.from({ length: 10 }, (_, c) => `s${c}`),
  ];
  csv.write(`${names.join(',')}\n`);
  for (let i = 0; i < rows; i++) {
    const cells: string[] = [];
    for (let c = 0; c < 40; c++)
      cells.push((i * (c + 3)) % 101 === 0 ? '' : String(((i * 7919 + c * 104729) % 100_003) / 97));
    for (let c = 0; c < 10; c++) cells.push(`v${(i * (c + 7)) % (20 + c * 30)}`);
    if (!csv.write(`${cells.join(',')}\n`)) await once(csv, 'drain');
  }
  csv.end();
  await once(csv, 'finish');
  const { table } = await readDataset(csvPath);
  const out = createWriteStream(path);
  await writeParquet(table, out);
  out.end();
  await once(out, 'finish');
  await rm(csvPath);
}

const selected = ['f0', 'f17', 'f33', 's2', 's9'];
const best = { all: Number.POSITIVE_INFINITY, five: Number.POSITIVE_INFINITY };
const cpu = { all: Number.POSITIVE_INFINITY, five: Number.POSITIVE_INFINITY };
const digests = new Set<string>();
for (let r = 0; r < rounds; r++) {
  for (const side of r % 2 === 0 ? (['all', 'five'] as const) : (['five', 'all'] as const)) {
    const t = performance.now();
    const used = process.cpuUsage();
    const { table, spans } = await readDataset(path, side === 'five' ? { columns: selected } : {});
    const spent = process.cpuUsage(used);
    best[side] = Math.min(best[side], (performance.now() - t) / 1000);
    cpu[side] = Math.min(cpu[side], (spent.user + spent.system) / 1e6);
    if (table.numCols !== (side === 'five' ? 5 : 50) || table.numRows !== rows)
      throw new Error('wrong table');
    digests.add(spans[0]!.sha256);
  }
}
if (digests.size !== 1) throw new Error('the projected read hashed the file differently');
const f = (n: number) => n.toFixed(3);
console.log(
  `${path} (${rows} rows x 50 columns), best of ${rounds} interleaved rounds:\n` +
    `  all 50 columns: ${f(best.all)} s wall, ${f(cpu.all)} s CPU\n` +
    `  5 columns:      ${f(best.five)} s wall, ${f(cpu.five)} s CPU\n` +
    `  5-of-50 speed-up: ${(best.all / best.five).toFixed(2)}x wall, ${(cpu.all / cpu.five).toFixed(2)}x CPU (same sha256)`,
);
