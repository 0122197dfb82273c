/**
 * Child process of streaming-memory.spec.ts: writes a seeded penguins-like CSV of N rows, then
 * streams it through readBatches into one-pass statistics, schema inference and validation, and
 * prints one JSON line with the results and the process's peak RSS (measured alone, so the
 * test's own memory does not count).
 */
import { createWriteStream } from 'node:fs';
import { localFile } from '../data/read/data-file.js';
import { readBatches } from '../data/read/read-batches.js';
import { inferSchema } from '../data/schema.js';
import { computeStatisticsFromBatches } from '../data/statistics.js';
import { validateBatches } from '../data/validate.js';

const [path, rowsText] = process.argv.slice(2);
const rows = Number(rowsText);
let a = 7;
const random = () => {
  a = (Math.imul(a, 1103515245) + 12345) >>> 0;
  return (a + 1) / 2 ** 32;
};
const out = createWriteStream(path!);
const write = (text: string) =>
  out.write(text) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', resolve));
await write('species,island,length,mass,id\n');
let buffer = '';
for (let i = 0; i < rows; i++) {
  const s = Math.floor(random() * 3);
  const length = random() < 0.01 ? '' : (38 + 5 * s + 3 * random()).toFixed(1);
  buffer += `${['Adelie', 'Gentoo', 'Chinstrap'][s]},${['Biscoe', 'Dream', 'Torgersen'][Math.floor(random() * 3)]},${length},${Math.round(3500 + 800 * s + 400 * random())},row-${i}\n`;
  if (buffer.length > 1 << 20) {
    await write(buffer);
    buffer = '';
  }
}
await write(buffer);
await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));

const started = performance.now();
const statistics = await computeStatisticsFromBatches(readBatches(localFile(path!), 'csv'));
const schema = inferSchema(statistics);
const validation = await validateBatches(readBatches(localFile(path!), 'csv'), schema);
console.log(
  JSON.stringify({
    seconds: (performance.now() - started) / 1000,
    statistics,
    ok: validation.ok,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
